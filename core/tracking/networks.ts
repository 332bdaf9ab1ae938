// Networks whose traffic is a mail provider's proxy or a security vendor's scanner, and how a caller
// turns an IP address (or an ASN / organisation label from its own IP database) into a hint.
//
// The tables below are deliberately short and conservative: only blocks a vendor publishes (or that
// public reports tie to the behaviour), each with its source. They go stale: vendors add ranges, and
// scanners also run on ordinary clouds (AWS, Azure) that no table can single out. A miss only costs
// precision (the hit falls through to the agent and timing rules); a wrong entry would hide real
// people, so when in doubt an entry is left out. Verify against the sources before extending.

export const networkOperators = [
  'google',
  'apple',
  'microsoft',
  'yahoo',
  'proofpoint',
  'mimecast',
  'barracuda',
  'cisco',
] as const;
export type NetworkOperator = (typeof networkOperators)[number];

export interface KnownNetwork {
  operator: NetworkOperator;
  name: string;
  /** Short phrase for explanations: "This came from <label>". */
  label: string;
  /**
   * What an open (pixel fetch) from this network is: a mail provider's image proxy, Apple's privacy
   * prefetch, or a security vendor rendering the message in a sandbox.
   */
  openRole: 'image_proxy' | 'apple_mpp' | 'scanner';
  /**
   * What a click from this network is. `none`: the network also carries people's own browsing
   * (iCloud Private Relay), so the network says nothing about a click.
   */
  clickRole: 'scanner' | 'none';
  /** The vendor sells remote browser isolation: a person's browsing can come out of its network. */
  browserIsolation: boolean;
  cidrs: readonly string[];
  asns: readonly number[];
  /** Matches the organisation name an IP-to-ASN database gives (e.g. "MICROSOFT-CORP-MSN-AS-BLOCK"). */
  organisation: RegExp;
  source: string;
}

export const knownNetworks: readonly KnownNetwork[] = [
  {
    operator: 'google',
    name: 'Google (Gmail image proxy)',
    label: 'Google’s mail servers',
    openRole: 'image_proxy',
    clickRole: 'scanner',
    browserIsolation: false,
    // Google's mail/proxy netblocks as listed in the SPF records _netblocks*.google.com; Gmail proxy
    // fetches are seen from 66.249.8x-9x, 66.102.x, 74.125.x. Also carries Googlebot (caught by UA).
    cidrs: ['66.249.64.0/19', '66.102.0.0/20', '64.233.160.0/19', '72.14.192.0/18', '74.125.0.0/16', '209.85.128.0/17', '2001:4860:4000::/36', '2a00:1450:4000::/37', '2607:f8b0:4000::/36', '2404:6800:4000::/36'],
    asns: [15169],
    organisation: /\bgoogle\b/i,
    source: 'SPF include _spf.google.com (_netblocks, _netblocks2, _netblocks3); AS15169 (ARIN)',
  },
  {
    operator: 'apple',
    name: 'Apple (Mail Privacy Protection, iCloud Private Relay)',
    label: 'Apple’s privacy proxy',
    openRole: 'apple_mpp',
    // Private Relay also carries Safari users' own browsing: a click from here may well be a person.
    clickRole: 'none',
    browserIsolation: false,
    // 17.0.0.0/8 is Apple's own block. MPP fetches also leave through Private Relay egress partners;
    // Apple publishes that (large, changing) list as egress-ip-ranges.csv: callers that load it should
    // map it to 'apple' too. It is not copied here.
    cidrs: ['17.0.0.0/8', '2620:149::/32', '2a01:b740::/32'],
    asns: [714, 6185],
    organisation: /\bapple\b/i,
    source: 'ARIN: NET17 (17.0.0.0/8), AS714/AS6185 Apple Inc.; Apple "iCloud Private Relay egress IP ranges" (not bundled)',
  },
  {
    operator: 'microsoft',
    name: 'Microsoft (Exchange Online Protection, Defender Safe Links, Outlook image proxy)',
    label: 'Microsoft’s mail servers',
    // Outlook.com / Outlook on the web / the new Outlook load remote images through Microsoft's servers.
    openRole: 'image_proxy',
    // Safe Links does not proxy a person's click (the browser is redirected and then comes from the
    // person's own address), so a click from Microsoft's mail network is Microsoft's own detonation.
    clickRole: 'scanner',
    browserIsolation: false,
    // Exchange Online Protection ranges from "Microsoft 365 URLs and IP address ranges" (Exchange
    // Online, SMTP), plus 40.94.0.0/16 where Safe Links detonations are reported by senders
    // (opencollective/opencollective#3656, FusionAuth issue 629). Not the whole of Azure on purpose:
    // people use VPNs and virtual desktops hosted there.
    cidrs: ['40.92.0.0/15', '40.94.0.0/16', '40.107.0.0/16', '52.100.0.0/15', '52.102.0.0/16', '52.103.0.0/17', '104.47.0.0/17', '2a01:111:f400::/48', '2a01:111:f403::/48'],
    // AS8075 is all of Microsoft including Azure customers: an ASN-derived hint is weaker than a CIDR.
    asns: [8075],
    organisation: /\bmicrosoft\b/i,
    source: 'learn.microsoft.com "Microsoft 365 URLs and IP address ranges" (Exchange Online); public reports for 40.94.0.0/16',
  },
  {
    operator: 'yahoo',
    name: 'Yahoo Mail proxy',
    label: 'Yahoo’s mail servers',
    openRole: 'image_proxy',
    // Yahoo's proxy also fetches the pages behind links (help.yahoo.com SLN28749).
    clickRole: 'scanner',
    browserIsolation: false,
    cidrs: [],
    asns: [10310, 36647],
    organisation: /\byahoo\b|\boath\b/i,
    source: 'help.yahoo.com SLN28749 (the proxy names itself in its UA, which is the stronger signal)',
  },
  {
    operator: 'proofpoint',
    name: 'Proofpoint (URL Defense, TAP)',
    label: 'Proofpoint’s network',
    openRole: 'scanner',
    clickRole: 'scanner',
    browserIsolation: true,
    cidrs: ['67.231.144.0/20', '148.163.128.0/19', '208.84.64.0/22', '208.86.200.0/22'],
    asns: [],
    organisation: /proofpoint/i,
    source: 'Proofpoint support "IP address list" (hosted service, pphosted.com)',
  },
  {
    operator: 'mimecast',
    name: 'Mimecast (URL Protect)',
    label: 'Mimecast’s network',
    openRole: 'scanner',
    clickRole: 'scanner',
    browserIsolation: true,
    // The US and UK inbound grids; Mimecast publishes one list per region ("Mimecast Data Centers and URLs").
    cidrs: ['205.139.110.0/24', '207.211.30.0/24', '195.130.217.0/24', '91.220.42.0/24'],
    asns: [],
    organisation: /mimecast/i,
    source: 'Mimecast "Data Centers and URLs" (US and UK grids)',
  },
  {
    operator: 'barracuda',
    name: 'Barracuda (Email Gateway Defense, Link Protection)',
    label: 'Barracuda’s network',
    openRole: 'scanner',
    clickRole: 'scanner',
    browserIsolation: false,
    cidrs: ['209.222.80.0/21'],
    asns: [],
    organisation: /barracuda/i,
    source: 'Barracuda Campus "Email Gateway Defense IP ranges" (US instance)',
  },
  // Recognised by organisation name only (no range we could verify). Vendors whose cloud also
  // carries people's everyday browsing (secure web gateways: Zscaler, Netskope, Symantec WSS,
  // Forcepoint, Cisco Umbrella) are left out on purpose: their traffic is mostly people.
  {
    operator: 'cisco',
    name: 'Cisco Secure Email (IronPort)',
    label: 'Cisco’s email security network',
    openRole: 'scanner',
    clickRole: 'scanner',
    browserIsolation: true,
    cidrs: [],
    asns: [],
    organisation: /ironport/i,
    source: 'organisation name',
  },
];

export const networkInfo = (operator: NetworkOperator): KnownNetwork => knownNetworks.find((n) => n.operator === operator)!;

interface CompiledRange {
  operator: NetworkOperator;
  v6: boolean;
  base: bigint;
  mask: bigint;
}

const compiledRanges: CompiledRange[] = knownNetworks.flatMap((network) =>
  network.cidrs.map((cidr) => {
    const range = parseCidr(cidr);
    if (!range) throw new Error(`bad CIDR in known networks: ${cidr}`);
    return { operator: network.operator, ...range };
  }),
);

/** The known network an IP address (v4 or v6, including ::ffff:a.b.c.d) belongs to, or null. */
export function networkOfIp(ip: string): NetworkOperator | null {
  const parsed = parseIp(ip);
  if (!parsed) return null;
  for (const range of compiledRanges) {
    if (range.v6 === parsed.v6 && (parsed.value & range.mask) === range.base) return range.operator;
  }
  return null;
}

/** The known network an autonomous system number belongs to, or null. */
export function networkOfAsn(asn: number): NetworkOperator | null {
  return knownNetworks.find((n) => n.asns.includes(asn))?.operator ?? null;
}

/** The known network an organisation name (from an IP database) names, or null. */
export function networkOfOrganisation(name: string): NetworkOperator | null {
  return knownNetworks.find((n) => n.organisation.test(name))?.operator ?? null;
}

/**
 * What may be stored instead of the address: IPv4 truncated to /24, IPv6 to /48. Null when the
 * input is not an IP address.
 */
export function truncateIp(ip: string): string | null {
  const parsed = parseIp(ip);
  if (!parsed) return null;
  if (!parsed.v6) {
    const v = Number(parsed.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.0/24`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 5; i--) groups.push(((parsed.value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':')}::/48`;
}

/**
 * The network a client address stands for when requests are rate limited: the address itself for
 * IPv4 (one household or office behind NAT), the /64 for IPv6 (what one subscriber is given, so
 * rotating through it gains nothing). Null when the address does not parse.
 */
export function limitedNetworkOf(ip: string): string | null {
  const parsed = parseIp(ip);
  if (!parsed) return null;
  if (!parsed.v6) {
    const v = Number(parsed.value);
    return `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
  }
  const groups: string[] = [];
  for (let i = 7; i >= 4; i--) groups.push(((parsed.value >> BigInt(i * 16)) & 0xffffn).toString(16));
  return `${groups.join(':')}::/64`;
}

function parseCidr(cidr: string): { v6: boolean; base: bigint; mask: bigint } | null {
  const [address, bitsText] = cidr.split('/');
  const parsed = address === undefined ? null : parseIp(address);
  const bits = Number(bitsText);
  if (!parsed || !Number.isInteger(bits)) return null;
  const width = parsed.v6 ? 128 : 32;
  if (bits < 0 || bits > width) return null;
  const all = (1n << BigInt(width)) - 1n;
  const mask = bits === 0 ? 0n : (all << BigInt(width - bits)) & all;
  return { v6: parsed.v6, base: parsed.value & mask, mask };
}

function parseIp(input: string): { v6: boolean; value: bigint } | null {
  const ip = input.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const v4 = parseIpv4(ip);
  if (v4 !== null) return { v6: false, value: v4 };
  const v6 = parseIpv6(ip);
  if (v6 === null) return null;
  // IPv4-mapped IPv6 (::ffff:a.b.c.d) is the IPv4 address as far as networks go.
  if (v6 >> 32n === 0xffffn) return { v6: false, value: v6 & 0xffffffffn };
  return { v6: true, value: v6 };
}

function parseIpv4(ip: string): bigint | null {
  const parts = ip.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^(?:0|[1-9]\d{0,2})$/.test(part)) return null;
    const n = Number(part);
    if (n > 255) return null;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

function parseIpv6(ip: string): bigint | null {
  if (!/^[0-9A-Fa-f:.]+$/.test(ip) || ip.split('::').length > 2) return null;
  let text = ip;
  let tail: bigint[] = [];
  // Embedded IPv4 in the last 32 bits (::ffff:1.2.3.4, 64:ff9b::1.2.3.4).
  const lastColon = text.lastIndexOf(':');
  if (text.includes('.', lastColon)) {
    const v4 = parseIpv4(text.slice(lastColon + 1));
    if (v4 === null || lastColon < 1) return null;
    tail = [v4 >> 16n, v4 & 0xffffn];
    text = text[lastColon - 1] === ':' ? text.slice(0, lastColon + 1) : text.slice(0, lastColon);
  }
  const [headText, tailText] = text.split('::') as [string, string | undefined];
  const parseGroups = (s: string) => (s === '' ? [] : s.split(':'));
  const head = parseGroups(headText);
  const rest = tailText === undefined ? [] : parseGroups(tailText);
  const groups = [...head, ...rest];
  if (groups.some((g) => !/^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
  const total = groups.length + tail.length;
  if (tailText === undefined ? total !== 8 : total > 7) return null;
  const filler = tailText === undefined ? [] : Array<string>(8 - total).fill('0');
  const all = [...head, ...filler, ...rest].map((g) => BigInt(`0x${g}`)).concat(tail);
  return all.reduce((acc, g) => (acc << 16n) | g, 0n);
}
