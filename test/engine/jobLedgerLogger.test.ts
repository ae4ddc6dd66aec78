import { Logger } from '@n8n/backend-common';
import type { GlobalConfig, InstanceSettingsConfig } from '@n8n/config';
import type { IExecuteFunctions } from 'n8n-workflow';

import { recordCreateSent, recordSubmittedJob } from '../../nodes/shared/operations/jobLedger';
import { fakeContext } from './fakes';

/**
 * The ledger's lines through n8n's own logger (@n8n/backend-common's Logger, as n8n 2.41 hands it
 * to nodes), with winston replaced by a recorder: what the logger would write, the `file` and
 * `function` it reads from its call-stack capture, and how deep that capture may go.
 */
function n8nLogger() {
	const written: Array<{ level: string; message: string; file?: string; function?: string; stackLimit: number }> = [];
	const config = { logging: { level: 'info', outputs: [], scopes: [] } } as unknown as GlobalConfig;
	const logger = new Logger(config, {} as InstanceSettingsConfig, { isRoot: false });
	replaceWinston(logger, (level, message, metadata) =>
		written.push({ level, message, file: metadata.file, function: metadata.function, stackLimit: Error.stackTraceLimit }),
	);
	return { logger, written };
}

/** n8n's Logger hands each line, with the caller it found, to winston: here to `log` instead. */
function replaceWinston(logger: Logger, log: (level: string, message: string, metadata: { file?: string; function?: string }) => void) {
	const internal = { levels: { error: 0, warn: 1, info: 2, debug: 3 }, log };
	(logger as unknown as { setInternalLogger(internalLogger: unknown): void }).setInternalLogger(internal);
}

function contextWith(logger: Logger): IExecuteFunctions {
	const { ctx } = fakeContext(() => ({ body: {} }), { apiKey: 'sk-test', baseUrl: 'https://api.fake.example' });
	const base = ctx as unknown as Record<string, unknown>;
	const node = { ...(base.getNode as () => Record<string, unknown>)(), name: 'Create' };
	Object.assign(base, {
		getNode: () => node,
		getExecutionId: () => '9',
		getWorkflow: () => ({ id: 'wf1' }),
		getWorkflowDataProxy: () => ({ $runIndex: 0 }),
		onExecutionCancellation: () => undefined,
		logger,
	});
	return ctx as IExecuteFunctions;
}

describe("job ledger lines through n8n's logger", () => {
	const original = Error.stackTraceLimit;
	afterEach(() => {
		Error.stackTraceLimit = original;
	});

	it("writes each line with the ledger as its caller while n8n's logger captures only 4 frames, and gives n8n its stack limit of 50 back", () => {
		// n8n's error reporter sets this when a Sentry DSN is configured; every line then captured up to 50 frames.
		Error.stackTraceLimit = 50;
		const { logger, written } = n8nLogger();
		const ctx = contextWith(logger);

		recordCreateSent(ctx, 'personate', 2);
		recordSubmittedJob(ctx, 'personate', 2, 'job-42');

		expect(written).toEqual([
			{
				level: 'info',
				message: 'lipsync job create sent: personate item 2 (node "Create", workflow wf1, execution 9)',
				file: 'jobLedger.ts',
				function: 'log',
				stackLimit: 4,
			},
			{
				level: 'info',
				message: 'lipsync job submitted: personate job job-42 item 2 (node "Create", workflow wf1, execution 9)',
				file: 'jobLedger.ts',
				function: 'log',
				stackLimit: 4,
			},
		]);
		expect(Error.stackTraceLimit).toBe(50);
	});

	it('leaves a stack limit below 4 as it is, and restores the limit when the logger throws', () => {
		Error.stackTraceLimit = 2;
		const { logger, written } = n8nLogger();
		recordCreateSent(contextWith(logger), 'personate', 0);
		expect(written[0].stackLimit).toBe(2);
		expect(Error.stackTraceLimit).toBe(2);

		Error.stackTraceLimit = 50;
		const throwing = n8nLogger();
		replaceWinston(throwing.logger, () => {
			throw new Error('transport closed');
		});
		expect(() => recordCreateSent(contextWith(throwing.logger), 'personate', 1)).not.toThrow();
		expect(Error.stackTraceLimit).toBe(50);
	});
});
