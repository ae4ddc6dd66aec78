import { EventEmitter } from 'node:events';

/**
 * The slice of express's Response that our webhook() methods use, recording what they answer, so
 * webhook tests can assert the status and body a vendor would see. Like express's, it emits
 * 'finish' once the answer is out (the harness emits it where n8n would have answered).
 */
export class RecordingResponse extends EventEmitter {
	statusCode = 200;
	body: unknown;
	/** Set once a body was written (`json`, `send` or `end`): n8n must not answer a second time. */
	headersSent = false;

	get ended(): boolean {
		return this.headersSent;
	}

	status(code: number) {
		this.statusCode = code;
		return this;
	}

	json(body: unknown) {
		this.body = body;
		this.headersSent = true;
		return this;
	}

	send(body: unknown) {
		return this.json(body);
	}

	end() {
		this.headersSent = true;
		return this;
	}
}
