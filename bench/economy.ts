/**
 * What the sandbox saw of a batch: status requests per job (a request that read several jobs
 * counts once) and how late completions were noticed.
 */
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

/** The status sits at the top of a job's answer, or in its `data` envelope (Modellix). */
const statusOf = (body: unknown): unknown => {
	const record = body as { status?: unknown; data?: { status?: unknown } } | undefined;
	return record?.status ?? record?.data?.status;
};

/**
 * The jobs one status request asked about, with what it answered for each: a read of one job names
 * it in its path; a read of many (`?ids=a,b`, answered with a bare list of jobs) names them in its
 * query, and its answer carries each it knows under its `id`.
 */
function jobsOfRead(path: string, body: unknown): Array<{ id: string; status: unknown }> {
	const [route, query] = path.split('?');
	const ids = new URLSearchParams(query ?? '').get('ids');
	if (ids !== null && Array.isArray(body)) {
		const answered = new Map(body.map((record) => [String((record as { id?: unknown })?.id), statusOf(record)]));
		return ids.split(',').map((id) => ({ id, status: answered.get(id) }));
	}
	return [{ id: decodeURIComponent(route.split('/').pop() ?? ''), status: statusOf(body) }];
}

export function economyOf(sb: Sandbox, vendor: Vendor, intervalMs: number): Economy {
	const jobs = sb.jobs.list(vendor).filter((job) => job.completedAt !== undefined);
	const counted = new Set(jobs.map((job) => job.id));
	const statusByJob = new Map<string, Array<{ answeredAt: number; status: unknown }>>();
	// A request counts once, however many jobs it asked about (a grouped read is one request).
	let actual = 0;
	for (const entry of sb.log.entries({ vendor, endpoint: 'status' })) {
		const asked = jobsOfRead(entry.path, entry.responseBody);
		if (asked.some(({ id }) => counted.has(id))) actual++;
		for (const { id, status } of asked) {
			const list = statusByJob.get(id) ?? [];
			list.push({ answeredAt: entry.time + entry.durationMs, status });
			statusByJob.set(id, list);
		}
	}
	let ideal = 0;
	let boundMin = 0;
	const noticeMs: number[] = [];
	for (const job of jobs) {
		const calls = statusByJob.get(job.id) ?? [];
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
