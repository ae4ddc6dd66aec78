/** What the sandbox saw of a batch: status requests per job and how late completions were noticed. */
import type { Sandbox, Vendor } from '../test/sandbox';

const TERMINAL = new Set(['completed', 'failed', 'rejected', 'done', 'success']);

export interface Economy {
	jobs: number;
	statusPerJob: number;
	/** ceil(D/interval)+1 per job, D = that job's actual duration. */
	idealPerJob: number;
	/**
	 * ceil(D/interval) per job: the fewest status requests any schedule can spend on a job while
	 * noticing its completion within one interval (looks at most an interval apart from its create,
	 * the last one after it finished), unless the vendor holds requests or answers for many jobs at once.
	 */
	boundMinPerJob: number;
	/** ms from the sandbox completing a job to the status answer that first reported it. */
	noticeMs: number[];
	/** Longest job the sandbox ran (D with its jitter), ms. */
	maxJobMs: number;
	/** First create → last job completed, by the sandbox's clock, ms. */
	firstCreateToLastDoneMs: number;
}

export function economyOf(sb: Sandbox, vendor: Vendor, intervalMs: number): Economy {
	const statusByJob = new Map<string, Array<{ answeredAt: number; status: unknown }>>();
	for (const entry of sb.log.entries({ vendor, endpoint: 'status' })) {
		const id = decodeURIComponent(entry.path.split('?')[0].split('/').pop() ?? '');
		const list = statusByJob.get(id) ?? [];
		const body = entry.responseBody as { status?: unknown; data?: { status?: unknown } } | undefined;
		// the status sits at the top of the answer, or in its `data` envelope (Modellix)
		list.push({ answeredAt: entry.time + entry.durationMs, status: body?.status ?? body?.data?.status });
		statusByJob.set(id, list);
	}
	const jobs = sb.jobs.list(vendor).filter((job) => job.completedAt !== undefined);
	let actual = 0;
	let ideal = 0;
	let boundMin = 0;
	const noticeMs: number[] = [];
	for (const job of jobs) {
		const calls = statusByJob.get(job.id) ?? [];
		actual += calls.length;
		ideal += Math.ceil(job.durationMs / intervalMs) + 1;
		boundMin += Math.ceil(job.durationMs / intervalMs);
		const first = calls.find((call) => TERMINAL.has(String(call.status).toLowerCase()));
		if (first) noticeMs.push(first.answeredAt - (job.completedAt as number));
	}
	const all = sb.jobs.list(vendor);
	const firstCreate = Math.min(...all.map((job) => job.createdAt));
	const lastDone = Math.max(...jobs.map((job) => job.completedAt as number));
	return {
		jobs: jobs.length,
		statusPerJob: actual / Math.max(1, jobs.length),
		idealPerJob: ideal / Math.max(1, jobs.length),
		boundMinPerJob: boundMin / Math.max(1, jobs.length),
		noticeMs,
		maxJobMs: Math.max(...all.map((job) => job.durationMs)),
		firstCreateToLastDoneMs: lastDone - firstCreate,
	};
}
