/**
 * A vendor on the internet calls n8n back (signed webhooks, per-job callbacks). n8n builds those
 * URLs from WEBHOOK_URL (or from its own host and port), which on a laptop or in a container is
 * often http://localhost:5678: handing that to a vendor makes the job or the registration look
 * fine while no call ever arrives. So such URLs are refused up front, saying what to change.
 * This judges the URL only (no DNS lookup): a private name or address is one the vendor cannot reach.
 *
 * The other direction uses the same address rules: URLs a vendor's answer hands to the node
 * (vendorUrlProblem, below) are fetched only when public.
 */

export interface ReachableBy {
	/** The vendor that has to reach the URL, named in the reasons. */
	vendor: string;
	/** The vendor delivers to https URLs only. */
	httpsOnly: boolean;
}

const normalizedHost = (url: URL): string => url.hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');

/** Why `by.vendor` cannot reach `url` (every reason, e.g. both "http" and "loopback"), or undefined. */
export function unreachableUrlReason(url: string, by: ReachableBy): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch (error) {
		return `it is not a valid URL (${(error as Error).message})`;
	}
	const reasons: string[] = [];
	if (parsed.protocol !== 'https:' && (by.httpsOnly || parsed.protocol !== 'http:')) {
		reasons.push(`it uses ${parsed.protocol.replace(':', '')}, and ${by.vendor} only delivers to ${by.httpsOnly ? 'https' : 'http(s)'} URLs`);
	}
	const hostReason = privateHostReason(normalizedHost(parsed), by.vendor);
	if (hostReason) reasons.push(hostReason);
	return reasons.length ? reasons.join('; ') : undefined;
}

/**
 * Why a URL taken from a vendor's answer (a result video, a signed upload URL) must not be
 * fetched, or undefined. n8n runs inside its owner's network: a link to a private address, or a
 * scheme other than http(s), would make the node a way into that network for whoever shapes the
 * vendor's answers (a hostile proxy Base URL, a model that echoes its inputs). The credential's
 * own Base URL host is trusted like the vendor (a sandbox or proxy on this machine keeps
 * working). Judged on the URL alone, like the rules above.
 */
export function vendorUrlProblem(url: string, baseUrl: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch (error) {
		return `it is not a valid URL (${(error as Error).message})`;
	}
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		return `it uses ${parsed.protocol.replace(':', '')}; only http(s) links are fetched`;
	}
	const host = normalizedHost(parsed);
	if (host === baseUrlHost(baseUrl)) return undefined;
	const reason = privateHostReason(host);
	return reason ? `${reason}, and only public hosts (or the credential's Base URL host) are fetched` : undefined;
}

function baseUrlHost(baseUrl: string): string | undefined {
	try {
		return normalizedHost(new URL(baseUrl));
	} catch {
		return undefined;
	}
}

function privateHostReason(host: string, vendor?: string): string | undefined {
	if (host === 'localhost' || host.endsWith('.localhost')) return `its host ${host} is this machine (loopback)`;
	if (host.endsWith('.local') || host.endsWith('.internal') || (!host.includes('.') && !host.includes(':'))) {
		return `its host ${host} is a local network name${vendor ? ` that ${vendor} cannot resolve` : ''}`;
	}
	const ipv4 = ipv4Octets(host) ?? ipv4Octets(mappedIpv4(host));
	if (ipv4) return privateIpv4Reason(ipv4, host);
	if (host.includes(':')) return privateIpv6Reason(host);
	return undefined;
}

function ipv4Octets(host: string | undefined): number[] | undefined {
	if (!host || !/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return undefined;
	const octets = host.split('.').map(Number);
	return octets.every((octet) => octet <= 255) ? octets : undefined;
}

/** `::ffff:10.0.0.1` (IPv4-mapped IPv6) hides an IPv4 address; URL() may also write it in hex. */
function mappedIpv4(host: string): string | undefined {
	const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(host);
	if (dotted) return dotted[1];
	const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (!hex) return undefined;
	const high = parseInt(hex[1], 16);
	const low = parseInt(hex[2], 16);
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

function privateIpv4Reason([a, b]: number[], host: string): string | undefined {
	if (a === 127) return `its host ${host} is this machine (loopback)`;
	if (a === 0) return `its host ${host} is not a routable address`;
	if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) {
		return `its host ${host} is a private network address`;
	}
	if (a === 169 && b === 254) return `its host ${host} is a link-local address`;
	if (a === 100 && b >= 64 && b <= 127) return `its host ${host} is a carrier-grade NAT address`;
	return undefined;
}

function privateIpv6Reason(host: string): string | undefined {
	if (host === '::1') return `its host ${host} is this machine (loopback)`;
	if (host === '::') return `its host ${host} is not a routable address`;
	if (/^f[cd][0-9a-f]{0,2}:/.test(host)) return `its host ${host} is a private network address`;
	if (/^fe[89ab][0-9a-f]?:/.test(host)) return `its host ${host} is a link-local address`;
	return undefined;
}
