import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';
import { z } from 'zod';

/**
 * Shared input validation for the vendor adapters: zod schemas for the common field shapes and
 * one helper that turns the first zod issue into a NodeOperationError naming the item and the
 * field as the user sees it in the node.
 */

/** How items are named in messages: n8n counts items from 0 in its UI (Item Index: 0). */
export const itemLabel = (itemIndex: number): string => `Item ${itemIndex}`;

/** The extension of a URL's path (lowercase, without the dot), ignoring query and fragment. */
export function urlPathExtension(url: string): string | undefined {
	let path: string;
	try {
		path = new URL(url).pathname;
	} catch {
		return undefined; // not a URL: the URL check reports it
	}
	const last = decodeURIComponentSafe(path.split('/').pop() ?? '');
	const dot = last.lastIndexOf('.');
	if (dot <= 0 || dot === last.length - 1) return undefined;
	return last.slice(dot + 1).toLowerCase();
}

function decodeURIComponentSafe(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value; // malformed escapes: judge the raw name
	}
}

const isHttpUrl = (value: string): boolean => {
	try {
		const url = new URL(value);
		return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
	} catch {
		return false;
	}
};

const article = (word: string): string => (/^[aeiou]/i.test(word) ? 'an' : 'a');

/** A required, trimmed, non-empty string. */
export const requiredText = (what = 'a value') =>
	z
		.string({ required_error: `is required: enter ${what}`, invalid_type_error: `must be text` })
		.trim()
		.min(1, { message: `is required: enter ${what}` });

/**
 * A required public http(s) URL. With `extensions`, a URL whose path ends in another extension is
 * rejected; a path without any extension is accepted (presigned and CDN links often have none).
 */
export function httpUrl(extensions?: readonly string[], kind = 'file') {
	return requiredText('a public http(s) URL').superRefine((value, ctx) => {
		if (!isHttpUrl(value)) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `must be a public http(s) URL such as https://example.com/${kind}, got "${value}"`,
			});
			return;
		}
		if (!extensions) return;
		const extension = urlPathExtension(value);
		if (extension !== undefined && !extensions.includes(extension)) {
			ctx.addIssue({
				code: z.ZodIssueCode.custom,
				message: `must point to ${article(kind)} ${kind} file (${extensions
					.map((e) => '.' + e)
					.join(' ')}); the URL ends in ".${extension}"`,
			});
		}
	});
}

/** An optional http(s) URL: empty means "not set". */
export const optionalHttpUrl = (kind = 'file') =>
	z
		.string()
		.trim()
		.optional()
		.transform((value) => (value ? value : undefined))
		.superRefine((value, ctx) => {
			if (value !== undefined && !isHttpUrl(value)) {
				ctx.addIssue({
					code: z.ZodIssueCode.custom,
					message: `must be a public http(s) URL such as https://example.com/${kind}, got "${value}"`,
				});
			}
		});

/** One of a fixed set of option values. */
export function oneOf<const T extends string>(values: readonly [T, ...T[]]) {
	return z.enum(values, {
		errorMap: (_issue, ctx) => ({
			message: `must be one of ${values.map((v) => `"${v}"`).join(', ')}, got ${JSON.stringify(
				ctx.data,
			)}`,
		}),
	});
}

/**
 * Validates `raw` against `schema`; on failure throws a NodeOperationError like
 * `Item 0: "Audio URL" must be a public http(s) URL …`, naming the field by the display name
 * found in `displayNames` (keyed by the path of the zod issue joined with dots).
 */
export function parseItemInput<T>(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	schema: z.ZodType<T, z.ZodTypeDef, unknown>,
	raw: unknown,
	displayNames: Record<string, string>,
): T {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const path = issue.path.join('.');
	const field = displayNames[path] ?? displayNames[String(issue.path[0] ?? '')] ?? path;
	const message = `${itemLabel(itemIndex)}: "${field}" ${issue.message}`;
	throw new NodeOperationError(ctx.getNode(), message, {
		itemIndex,
		description: `Fix the "${field}" field of the node (or the expression that fills it) for this item.`,
	});
}

/** Throws the same kind of item error for checks that are not zod schemas (e.g. binary data). */
export function invalidItemInput(
	ctx: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	field: string,
	problem: string,
): never {
	throw new NodeOperationError(ctx.getNode(), `${itemLabel(itemIndex)}: "${field}" ${problem}`, {
		itemIndex,
	});
}

/**
 * Reads a parameter that may be hidden (then it is absent): never throws for a missing one.
 * The fallback is null, not undefined, because n8n treats an undefined fallback as "none" and
 * throws "Could not get parameter" for a field the current mode hides.
 */
export function readParameter(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	let known = staticValues.get(ctx);
	if (!known) staticValues.set(ctx, (known = new Map()));
	const entry = known.get(name);
	if (entry?.isStatic) return copyOf(entry.value);
	const value = ctx.getNodeParameter(name, itemIndex, null) ?? undefined;
	if (entry === undefined) {
		const isStatic = holdsNoExpression(ctx.getNodeParameter(name, itemIndex, null, { rawExpressions: true }));
		known.set(name, { isStatic, value: isStatic ? copyOf(value) : undefined });
	}
	return value;
}

/**
 * A parameter without an expression has the same value for every item, so it is resolved once
 * per node run: n8n's resolution costs tens of microseconds per read (it builds the expression
 * context even for a plain value), paid for every parameter of every item of a batch otherwise.
 * Each read gets its own copy, so no item can change another's value.
 */
const staticValues = new WeakMap<IExecuteFunctions, Map<string, { isStatic: boolean; value: unknown }>>();

function holdsNoExpression(raw: unknown): boolean {
	if (typeof raw === 'string') return !raw.startsWith('=');
	if (Array.isArray(raw)) return raw.every(holdsNoExpression);
	if (raw !== null && typeof raw === 'object') return Object.values(raw).every(holdsNoExpression);
	return true;
}

const copyOf = (value: unknown): unknown => (value !== null && typeof value === 'object' ? structuredClone(value) : value);

/** Reads a resourceLocator parameter's value (list or id mode alike). */
export function readLocatorValue(ctx: IExecuteFunctions, name: string, itemIndex: number): unknown {
	const value = ctx.getNodeParameter(name, itemIndex, null, { extractValue: true }) ?? undefined;
	if (value && typeof value === 'object' && 'value' in value) {
		return (value as { value: unknown }).value;
	}
	return value;
}
