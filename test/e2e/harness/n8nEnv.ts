import { nodeBinDir } from './paths';

/** Same key for every process sharing one user folder: credentials are encrypted with it. */
export const E2E_ENCRYPTION_KEY = 'lipsync-e2e-encryption-key-not-secret';

export interface N8nEnvOptions {
	userFolder: string;
	port: number;
	brokerPort: number;
	/** Public base URL n8n puts into webhook and resume URLs (ends with /). */
	webhookUrl: string;
	queue?: { redisPort: number };
	extra?: Record<string, string>;
}

/**
 * The environment of an isolated n8n (docs/n8n.md, "Running a real n8n"): loopback only, nothing phones
 * home, its own user folder, sqlite, and its own task-runner broker port — every concurrent
 * n8n process (start, execute, worker, webhook) needs a different one.
 */
export function n8nEnv(options: N8nEnvOptions): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {
		PATH: `${nodeBinDir()}:${process.env.PATH ?? '/usr/bin:/bin'}`,
		HOME: process.env.HOME,
		TMPDIR: process.env.TMPDIR,
		LANG: process.env.LANG ?? 'C.UTF-8',
		TZ: 'UTC',
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: options.webhookUrl,
		N8N_RUNNERS_BROKER_PORT: String(options.brokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_ENCRYPTION_KEY: E2E_ENCRYPTION_KEY,
		DB_TYPE: 'sqlite',
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'false',
		N8N_DISABLED_MODULES: 'mcp-registry',
		N8N_LOG_FORMAT: 'json',
		N8N_LOG_LEVEL: 'info',
		N8N_LOG_OUTPUT: 'console',
		// Tests stop instances often; n8n's default waits 30 s for a clean shutdown.
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
	};
	if (options.queue) {
		Object.assign(env, {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(options.queue.redisPort),
		});
	}
	return { ...env, ...options.extra };
}
