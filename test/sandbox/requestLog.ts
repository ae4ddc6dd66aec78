/** Every request the sandbox answered, for tests to observe (secrets masked). */
import type { IncomingHttpHeaders } from 'node:http';

export interface LogEntry {
	id: number;
	/** Epoch ms when the request arrived. */
	time: number;
	vendor: string;
	endpoint: string;
	method: string;
	/** Path with query string. */
	path: string;
	/** 0 when the connection was reset without an answer. */
	statusCode: number;
	durationMs: number;
	requestBody?: unknown;
	responseBody?: unknown;
	headers: Record<string, string>;
	/** The fault kind that shaped this answer, if any. */
	fault?: string;
	/** Video downloads: body bytes handed to the connection before the answer ended or the client left. */
	bodyBytesSent?: number;
}

export interface LogFilter {
	vendor?: string;
	endpoint?: string;
	method?: string;
}

const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'cookie']);

export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const masked: Record<string, string> = {};
	for (const [name, value] of Object.entries(headers)) {
		if (value === undefined) continue;
		masked[name] = SECRET_HEADERS.has(name) ? '***' : Array.isArray(value) ? value.join(', ') : value;
	}
	return masked;
}

const matches = (entry: LogEntry, filter: LogFilter = {}): boolean =>
	(filter.vendor === undefined || entry.vendor === filter.vendor) &&
	(filter.endpoint === undefined || entry.endpoint === filter.endpoint) &&
	(filter.method === undefined || entry.method === filter.method.toUpperCase());

export class RequestLog {
	private items: LogEntry[] = [];
	private totals: Record<string, number> = {};
	private nextId = 1;

	/** Keeps at most `maxEntries()` entries (oldest dropped); counts() stays exact regardless. */
	constructor(private readonly maxEntries: () => number = () => Infinity) {}

	/** Starts an entry; the server fills in status and duration when the answer is done. */
	open(fields: Omit<LogEntry, 'id' | 'statusCode' | 'durationMs'>): LogEntry {
		const entry: LogEntry = { id: this.nextId++, statusCode: 0, durationMs: 0, ...fields };
		this.items.push(entry);
		const key = `${entry.vendor}.${entry.endpoint}`;
		this.totals[key] = (this.totals[key] ?? 0) + 1;
		const overflow = this.items.length - this.maxEntries();
		if (overflow > 0) this.items.splice(0, overflow);
		return entry;
	}

	entries(filter?: LogFilter): LogEntry[] {
		return this.items.filter((entry) => matches(entry, filter));
	}

	count(filter?: LogFilter): number {
		return this.entries(filter).length;
	}

	/** `{ 'vozo.create': 3, 'vozo.status': 12 }` — every request since the last clear(). */
	counts(): Record<string, number> {
		return { ...this.totals };
	}

	clear(): void {
		this.items = [];
		this.totals = {};
	}
}
