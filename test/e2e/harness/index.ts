/** The real-n8n harness for end-to-end tests and benchmarks (see test/e2e/README.md). */
export { packPackage } from './pack';
export { startN8n, DEFAULT_OWNER } from './n8n';
export type { N8nInstance, StartN8nOptions, CredentialInput, WorkflowInput, WaitForExecutionOptions } from './n8n';
export type { CliRun } from './cliExecute';
export { N8nHttpError } from './client';
export { startRedis } from './redis';
export { freePort } from './ports';
export { readableLog } from './processes';
export { waitFor, sleep } from './wait';
export { ensureN8nInstalled, nodeBinDir, REPO_ROOT } from './paths';
