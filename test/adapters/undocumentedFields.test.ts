import { joggAiAdapter } from '../../nodes/JoggAi/joggAi.adapter';
import { modellixAdapter } from '../../nodes/Modellix/modellix.adapter';
import { personateAdapter } from '../../nodes/Personate/personate.adapter';
import { vozoAdapter } from '../../nodes/Vozo/vozo.adapter';

/**
 * Each vendor's status answer may carry fields its document does not name; the names the
 * adapters read are listed (marked ASSUMPTION) in the vendor's assumptions file. These pin that
 * they are read, so moving a name there cannot silently drop it.
 */
const CREATED = 1_700_000_000;
const DONE = 1_700_000_100;
const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

describe('undocumented status fields listed in the assumptions files', () => {
	it('Vozo: result_url, cover_url, created_at and finished_at fill the video, cover and times', () => {
		const job = vozoAdapter.parseStatus('t1', {
			status: 'done',
			result_url: 'https://cdn.example.test/v.mp4',
			cover_url: 'https://cdn.example.test/c.jpg',
			created_at: CREATED,
			finished_at: DONE,
		});
		expect(job).toMatchObject({
			status: 'succeeded',
			videoUrl: 'https://cdn.example.test/v.mp4',
			coverUrl: 'https://cdn.example.test/c.jpg',
			createdAt: iso(CREATED),
			completedAt: iso(DONE),
		});
	});

	it('Vozo: a documented video_url wins over result_url', () => {
		const job = vozoAdapter.parseStatus('t1', { status: 'done', video_url: 'https://a.test/doc.mp4', result_url: 'https://a.test/other.mp4' });
		expect(job.videoUrl).toBe('https://a.test/doc.mp4');
	});

	it('JoggAI: a result naming its length duration fills durationSeconds', () => {
		const body = { code: 0, msg: 'ok', data: { task_id: 't2', status: 'success', data: { result_url: 'https://a.test/v.mp4', duration: 7 } } };
		expect(joggAiAdapter.parseStatus('t2', body)).toMatchObject({ status: 'succeeded', durationSeconds: 7 });
	});

	it('Personate: created_at and updated_at fill the times', () => {
		const body = { job_id: 'j3', status: 'completed', output: 'https://a.test/v.mp4', created_at: CREATED, updated_at: DONE };
		expect(personateAdapter.parseStatus('j3', body)).toMatchObject({ status: 'succeeded', createdAt: iso(CREATED), completedAt: iso(DONE) });
	});

	it("Modellix: the video resource's cover_url and duration fill the cover and durationSeconds", () => {
		const resource = { type: 'video', url: 'https://a.test/v.mp4', cover_url: 'https://a.test/c.jpg', duration: 9 };
		const body = { code: 0, message: 'ok', data: { task_id: 't4', status: 'success', result: { resources: [resource] } } };
		expect(modellixAdapter.parseStatus('t4', body)).toMatchObject({
			status: 'succeeded',
			coverUrl: 'https://a.test/c.jpg',
			durationSeconds: 9,
		});
	});
});
