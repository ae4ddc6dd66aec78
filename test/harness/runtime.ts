/**
 * One-time set-up of the n8n-core services a node execution reaches through the DI container,
 * configured the way a single-process n8n (regular mode) has them: binary data in `filesystem`
 * mode, SSRF protection off (its default), the `legacy` expression engine (n8n-workflow's default;
 * the `vm` engine needs the native isolated-vm module, which is not built here).
 *
 * Everything lives in a temporary n8n user folder, so a test never touches ~/.n8n.
 */
import { Container } from '@n8n/di';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BinaryDataConfig, BinaryDataService, InstanceSettings } from 'n8n-core';

export interface HarnessRuntime {
	/** The temporary N8N_USER_FOLDER of this test file's n8n. */
	userFolder: string;
	/** Where BinaryDataService (filesystem mode) writes binary data. */
	binaryDataDir: string;
}

let runtime: Promise<HarnessRuntime> | undefined;

/**
 * Prepares n8n-core once per jest test file (jest gives every test file its own module registry,
 * hence its own DI container). Safe to call many times.
 */
export async function ensureN8nRuntime(): Promise<HarnessRuntime> {
	runtime ??= initialise();
	return await runtime;
}

async function initialise(): Promise<HarnessRuntime> {
	const userFolder = mkdtempSync(path.join(tmpdir(), 'lipsync-harness-'));
	// Read by @n8n/config when the first service is built, so it must be set before any
	// Container.get. Keep n8n quiet unless the developer asks for its logs (N8N_LOG_LEVEL=debug).
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_LOG_LEVEL ??= 'silent';
	process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS ??= 'false';

	// Built for real: writes <userFolder>/.n8n/config with a fresh encryption key.
	Container.get(InstanceSettings);

	const binaryDataDir = path.join(userFolder, 'binary-data');
	const binaryDataConfig = Container.get(BinaryDataConfig);
	binaryDataConfig.mode = 'filesystem';
	binaryDataConfig.localStoragePath = binaryDataDir;
	await Container.get(BinaryDataService).init();

	return { userFolder, binaryDataDir };
}

/** Deletes the temporary user folder (binary data included). Registered with afterAll below. */
export async function disposeN8nRuntime(): Promise<void> {
	if (!runtime) return;
	const { userFolder } = await runtime;
	runtime = undefined;
	rmSync(userFolder, { recursive: true, force: true });
}

// The harness is imported at the top of a test file, so this registers per test file.
if (typeof afterAll === 'function') afterAll(disposeN8nRuntime);
