// Where an outgoing webhook may go. A customer types a URL and our server makes the request, so a
// URL (or a hostname resolving to) an address inside our own network would let anyone reach it
// (server-side request forgery). Pure: the API resolves names and asks these functions.

export type AddressClass =
  | 'public'
  | 'unspecified'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'cgnat'
  | 'metadata'
  | 'multicast'
  | 'reserved'
  | 'invalid';

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseV4(text: string): number[] | null {
  const m = V4.exec(text);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((p, i) => p <= 255 && String(p) === m[i + 1]!.replace(/^0+(?=\d)/, '')) ? parts : null;
}

/** The eight 16-bit groups of an IPv6 address (an embedded IPv4 tail allowed), or null. */
function parseV6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '').toLowerCase();
  if (s.includes('%')) s = s.slice(0, s.indexOf('%')); // zone index: fe80::1%eth0
  if (!/^[0-9a-f:.]+$/.test(s) || !s.includes(':')) return null;
  const lastColon = s.lastIndexOf(':');
  const last = s.slice(lastColon + 1);
  if (last.includes('.')) {
    const v4 = parseV4(last);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const rest = halves.length === 2 ? groups(halves[1]!) : [];
  if ([...head, ...rest].some((g) => !/^[0-9a-f]{1,4}$/.test(g))) return null;
  const known = head.length + rest.length;
  if (halves.length === 1 ? known !== 8 : known > 7) return null;
  const zeros = Array(8 - known).fill(0);
  return [...head.map((g) => parseInt(g, 16)), ...zeros, ...rest.map((g) => parseInt(g, 16))];
}

function classifyV4([a, b, c]: number[]): AddressClass {
  if (a === 169 && b === 254 && c === 169) return 'metadata'; // 169.254.169.254 and its neighbours (cloud metadata)
  if (a === 0) return 'unspecified';
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'link-local';
  if (a === 100 && b! >= 64 && b! <= 127) return 'cgnat';
  if (a! >= 224 && a! <= 239) return 'multicast';
  // IETF protocol assignments, documentation ranges, benchmarking, 240/4 and broadcast.
  if ((a === 192 && b === 0 && (c === 0 || c === 2)) || (a === 198 && (b === 18 || b === 19)) || (a === 198 && b === 51 && c === 100) || (a === 203 && b === 0 && c === 113) || a! >= 240) return 'reserved';
  return 'public';
}

function classifyV6(g: number[]): AddressClass {
  const [g0, , , , , g5, g6, g7] = g as [number, number, number, number, number, number, number, number];
  const allZeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (allZeroTo(8)) return 'unspecified';
  if (allZeroTo(7) && g7 === 1) return 'loopback';
  // ::ffff:a.b.c.d (IPv4-mapped) and ::a.b.c.d (IPv4-compatible) reach the IPv4 address.
  if (allZeroTo(5) && (g5 === 0xffff || g5 === 0)) return classifyV4([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
  // 64:ff9b::/96 (NAT64) also reaches the IPv4 address it embeds.
  if (g0 === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((x) => x === 0)) return classifyV4([g6 >> 8, g6 & 0xff, g7 >> 8, g7 & 0xff]);
  if (g0 === 0xfd00 && g.slice(1, 7).every((x) => x === 0) && g7 === 0x254) return 'metadata'; // AWS IMDS over IPv6: fd00:ec2::254
  if (g0 === 0xfd00 && g[1] === 0xec2) return 'metadata';
  if ((g0 & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  if (g0 === 0x2001 && g[1] === 0x0db8) return 'reserved'; // documentation
  if (g0 === 0x0100 && g.slice(1, 4).every((x) => x === 0)) return 'reserved'; // discard-only
  if (g0 === 0x2002) return 'reserved'; // 6to4 embeds an IPv4 address we cannot vouch for
  return 'public';
}

/** What kind of address a literal IPv4 or IPv6 address is; 'invalid' if it is neither. */
export function classifyAddress(address: string): AddressClass {
  const v4 = parseV4(address);
  if (v4) return classifyV4(v4);
  const v6 = parseV6(address);
  return v6 ? classifyV6(v6) : 'invalid';
}

export const isIpLiteral = (host: string) => classifyAddress(host) !== 'invalid';

export interface DestinationPolicy {
  /** Production: only https. */
  httpsOnly: boolean;
  /** Development only (WEBHOOKS_ALLOW_LOCALHOST): loopback addresses are allowed, nothing else private. */
  allowLoopback: boolean;
}

/** Why a resolved address may not be called, or null when it may. */
export function refuseAddress(address: string, policy: DestinationPolicy): string | null {
  const kind = classifyAddress(address);
  if (kind === 'public') return null;
  if (kind === 'loopback' && policy.allowLoopback) return null;
  return kind === 'invalid' ? `"${address}" is not an IP address` : `${address} is a ${kind} address`;
}

/**
 * Why a URL may not be an endpoint, or null. Checks what can be known without DNS: the scheme,
 * credentials, and a host written as an IP address; names are resolved and checked at delivery.
 */
export function refuseUrl(raw: string, policy: DestinationPolicy): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && !policy.httpsOnly)) return policy.httpsOnly ? 'must be https' : 'must be http or https';
  if (url.username || url.password) return 'must not carry a user name or password';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (!host) return 'has no host';
  if (isIpLiteral(host)) return refuseAddress(host, policy);
  if (host === 'localhost' || host.endsWith('.localhost')) return policy.allowLoopback ? null : 'localhost is not reachable from outside';
  if (!host.includes('.')) return 'must be a fully qualified host name';
  return null;
}
