/**
 * Which Vozo job a callback reference belongs to.
 *
 * Vozo's callback body carries no task id, and the callback URL (with our reference in it) is
 * sent in the create request, before Vozo has assigned the id; so neither the URL nor the body
 * can tell the Lip Sync Trigger which job to confirm. The engine learns both when the create
 * answer arrives and records them here (vozoAdapter.callback.correlate); the trigger reads them to
 * confirm a final callback with one authenticated status request.
 *
 * Module memory of this n8n server, like the trigger's duplicate check: it holds when the job
 * was created by an execution on the same server that receives the callback (n8n's regular
 * mode), not across queue-mode workers and `n8n webhook` servers, nor across a restart. The
 * trigger then says `verified: false` rather than guess. The newest MAX_JOBS references are kept:
 * a job's callbacks end within Vozo's queue and render times (about 2.5 hours).
 */

const MAX_REMEMBERED_JOBS = 10_000;

const jobByReference = new Map<string, string>();

export function rememberVozoCallbackJob(reference: string, jobId: string): void {
	jobByReference.delete(reference);
	jobByReference.set(reference, jobId);
	while (jobByReference.size > MAX_REMEMBERED_JOBS) {
		const oldest = jobByReference.keys().next().value;
		if (oldest === undefined) break;
		jobByReference.delete(oldest);
	}
}

export function vozoJobForCallback(reference: string): string | undefined {
	return jobByReference.get(reference);
}
