/**
 * sync.so's List Generations (docs/vendors.md § sync.so): `GET /v2/generations` with the optional
 * query `ids` (comma-separated generation ids), `status` (comma-separated PENDING, PROCESSING,
 * COMPLETED, FAILED, REJECTED), `source`, `projectId`, `limit` (1–100: newest first, pageable) and
 * `cursor` (the id of the previous page's last generation; needs `limit`). Answers 200 a bare JSON
 * array of generations, each as `GET /v2/generate/{id}` answers it; without `limit` every matching
 * generation, unpaged, in no guaranteed order (the sandbox: by id, which is random). Logged as a
 * status read (endpoint `status`, kind `status`): status faults reach it like any status read.
 *
 * ASSUMPTIONS (undocumented; the sandbox picks one):
 * - An id the key's organization has no generation of is left out of the answer, not refused
 *   (the option `syncsoListUnknownIds: 'refused'` answers the whole read 404 instead).
 * - A `status` word outside the five, a `limit` outside 1–100 or not a whole number, and a
 *   `cursor` without `limit` are refused with sync.so's validation error (400
 *   `generation_input_validation_failed`); a `cursor` naming no generation of the list gives an
 *   empty page.
 * - Sandbox generations carry no source label and belong to no project: a `source` or
 *   `projectId` filter matches none (an inaccessible project answers an empty list, documented).
 */
import type { Ctx, SandboxCore } from '../http';
import type { SandboxJob } from '../jobs';

const STATUS_WORDS = ['PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'REJECTED'];
const MAX_LIMIT = 100;

const listOf = (value: string | null): string[] | undefined =>
	value === null ? undefined : value.split(',').map((part) => part.trim()).filter((part) => part !== '');

/** The generations `GET /v2/generations` answers, or the validation problems of its query. */
export function listGenerations(
	core: SandboxCore,
	ctx: Ctx,
	generation: (job: SandboxJob) => Record<string, unknown>,
): { list: Array<Record<string, unknown>> } | { problems: string[] } | { unknownIds: string[] } {
	const query = ctx.url.searchParams;
	const ids = listOf(query.get('ids'));
	const statuses = listOf(query.get('status'));
	const rawLimit = query.get('limit');
	const cursor = query.get('cursor');
	const problems: string[] = [];
	const unknownWords = (statuses ?? []).filter((word) => !STATUS_WORDS.includes(word));
	if (unknownWords.length > 0) problems.push(`status must be a comma-separated list of ${STATUS_WORDS.join(', ')}`);
	const limit = rawLimit === null ? undefined : Number(rawLimit);
	if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1 && limit <= MAX_LIMIT)) problems.push(`limit must be a whole number from 1 to ${MAX_LIMIT}`);
	if (cursor !== null && limit === undefined) problems.push('cursor requires limit');
	if (problems.length > 0) return { problems };
	if (query.get('source') !== null || query.get('projectId') !== null) return { list: [] };

	const wanted = ids ? new Set(ids) : undefined;
	const organization = core.jobs.list('syncso').filter((job) => job.key === ctx.key);
	if (ids && core.options().syncsoListUnknownIds === 'refused') {
		const known = new Set(organization.map((job) => job.id));
		const unknownIds = ids.filter((id) => !known.has(id));
		if (unknownIds.length > 0) return { unknownIds };
	}
	const matching = organization
		.filter((job) => !wanted || wanted.has(job.id))
		.map((job) => ({ job, record: generation(job) }))
		.filter(({ record }) => !statuses || statuses.includes(String(record.status)));
	if (limit === undefined) return { list: matching.sort((a, b) => a.job.id.localeCompare(b.job.id)).map(({ record }) => record) };
	const newestFirst = matching.sort((a, b) => b.job.createdAt - a.job.createdAt || a.job.id.localeCompare(b.job.id));
	const start = cursor === null ? 0 : newestFirst.findIndex(({ job }) => job.id === cursor) + 1;
	if (start === 0 && cursor !== null) return { list: [] };
	return { list: newestFirst.slice(start, start + limit).map(({ record }) => record) };
}
