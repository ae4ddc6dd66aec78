/**
 * The Data Tables the examples read and write (n8n 2.41's built-in tables), and the values a
 * user fills into some examples (a Personate avatar and voice, a video to download) filled in
 * with sandbox ones. `npm start` and test/e2e/examples.e2e.test.ts set up n8n the same way, so
 * what the tests run is what the demo shows.
 *
 * The examples address their tables by name (Data Table node, "By Name"), so nothing needs
 * rewiring: a table only has to exist under that name in the owner's project. Tables are created
 * through n8n's public API (`POST /api/v1/data-tables`, rows `POST /api/v1/data-tables/<id>/rows`).
 */
import type { N8nInstance } from '../harness';
import type { Sandbox } from '../../sandbox';

export interface ExampleTable {
	name: string;
	columns: Array<{ name: string; type: 'string' | 'number' | 'boolean' | 'date' }>;
	/** Rows the demo starts with (only inserted when the table is created). */
	rows: Array<Record<string, string>>;
}

const text = (...names: string[]) => names.map((name) => ({ name, type: 'string' as const }));

/** examples/datatable-pipeline-joggai.json: JoggAI, face video + audio per row. */
export const PIPELINE_TABLE: ExampleTable = {
	name: 'Lip sync videos',
	columns: text('faceVideoUrl', 'audioUrl', 'status', 'videoUrl', 'jobId', 'error'),
	rows: [1, 2, 3].map((i) => ({
		faceVideoUrl: `https://example.com/presenters/presenter-${i}.mp4`,
		audioUrl: `https://example.com/voices/line-${i}.mp3`,
		status: 'pending',
		videoUrl: '',
		jobId: '',
		error: '',
	})),
};

/** examples/vozo-create-now-*.json and vozo-wait-later-*.json: Vozo, a video or a photo per row. */
export const JOBS_TABLE: ExampleTable = {
	name: 'Lip sync jobs',
	columns: text('referenceFileUrl', 'audioUrl', 'status', 'jobId', 'videoUrl', 'error'),
	rows: ['presenter-1.mp4', 'portrait-2.png', 'presenter-3.mp4'].map((file, i) => ({
		referenceFileUrl: `https://example.com/faces/${file}`,
		audioUrl: `https://example.com/voices/line-${i + 1}.mp3`,
		status: 'pending',
		jobId: '',
		videoUrl: '',
		error: '',
	})),
};

/**
 * examples/datatable-pipeline-lipsync.json: the Lip Sync node, each row naming its vendor. Its name
 * must not contain another example table's name: n8n's Data Table node finds a table "By Name" by
 * a part of its name, so "Lip sync videos, …" was taken for "Lip sync videos".
 */
export const SEVERAL_VENDORS_TABLE: ExampleTable = {
	name: 'Lip sync by vendor',
	columns: text('vendor', 'faceVideoUrl', 'audioUrl', 'status', 'videoUrl', 'jobId', 'provider', 'attempts', 'error'),
	rows: ['vozo', 'personate', 'modellix', 'joggai'].map((vendor, i) => ({
		vendor,
		faceVideoUrl: `https://example.com/presenters/presenter-${i + 1}.mp4`,
		audioUrl: `https://example.com/voices/line-${i + 1}.mp3`,
		status: 'pending',
		videoUrl: '',
		jobId: '',
		provider: '',
		attempts: '',
		error: '',
	})),
};

export const EXAMPLE_TABLES = [PIPELINE_TABLE, JOBS_TABLE, SEVERAL_VENDORS_TABLE];

interface DataTable {
	id: string;
	name: string;
}

/** The table with exactly this name (n8n's name filter matches parts of names). */
export async function findTable(n8n: N8nInstance, name: string): Promise<DataTable | undefined> {
	const filter = encodeURIComponent(JSON.stringify({ name }));
	const { data } = await n8n.api<{ data: DataTable[] }>('GET', `/data-tables?limit=100&filter=${filter}`);
	return data.find((table) => table.name === name);
}

/** Creates each table that is missing, with its demo rows; existing tables are left as they are. */
export async function ensureExampleTables(n8n: N8nInstance, tables = EXAMPLE_TABLES): Promise<{ created: string[] }> {
	const created: string[] = [];
	for (const table of tables) {
		if (await findTable(n8n, table.name)) continue;
		const { id } = await n8n.api<DataTable>('POST', '/data-tables', { name: table.name, columns: table.columns });
		if (table.rows.length) await n8n.api('POST', `/data-tables/${id}/rows`, { data: table.rows, returnType: 'count' });
		created.push(table.name);
	}
	return { created };
}

export type TableRow = Record<string, unknown> & { id: number };

export async function tableRows(n8n: N8nInstance, name: string): Promise<TableRow[]> {
	const table = await findTable(n8n, name);
	if (!table) throw new Error(`no data table named "${name}"`);
	const { data } = await n8n.api<{ data: TableRow[] }>('GET', `/data-tables/${table.id}/rows?limit=250`);
	return data.sort((a, b) => a.id - b.id);
}

interface WorkflowLike {
	nodes: Array<{ type: string; name: string; parameters: Record<string, any> }>;
}

/**
 * What a user picks or types into some examples before running them, filled in for the
 * sandbox: Personate's avatar and voice (from the sandbox's lists), the video that the
 * binary-input example downloads (the sandbox's sample MP4), and the speech the text-to-speech
 * example downloads (the sandbox's WAV).
 */
export function fillDemoInputs<W extends WorkflowLike>(workflow: W, sandbox: Pick<Sandbox, 'videoUrl' | 'url'>): W {
	for (const node of workflow.nodes) {
		if (node.type === 'n8n-nodes-lipsync.personate') {
			const pick = (value: string, cachedResultName: string) => ({ __rl: true, mode: 'list', value, cachedResultName });
			if (node.parameters.avatarId?.value === '') node.parameters.avatarId = pick('pa_anna', 'Anna');
			if (node.parameters.voiceId?.value === '') node.parameters.voiceId = pick('pv_en_f1', 'English Female 1');
		}
		if (node.type === 'n8n-nodes-base.set') {
			for (const assignment of node.parameters.assignments?.assignments ?? []) {
				if (assignment.name === 'sourceVideoUrl') assignment.value = sandbox.videoUrl();
				if (assignment.name === 'speechUrl') assignment.value = `${sandbox.url}/files/speech.wav`;
			}
		}
	}
	return workflow;
}
