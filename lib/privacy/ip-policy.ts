/**
 * What is kept of a client IP address. Addresses are parsed, never pattern-matched, so anything
 * that is not an IPv4 or IPv6 address (a hostname, "unknown", an injected string) becomes
 * undefined instead of being echoed into the warehouse.
 */
export type IpPolicy = 'keep' | 'stripLastOctet' | 'remove';

export const IP_POLICIES: readonly IpPolicy[] = Object.freeze(['keep', 'stripLastOctet', 'remove']);

/** Longest input considered: a bracketed IPv6 with a zone id and a port is far shorter. */
const MAX_IP_LENGTH = 100;
const IPV4_WITH_PORT = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/;
const BRACKETED = /^\[([^\]]+)\](?::\d{1,5})?$/;
const HEX_GROUP = /^[0-9a-f]{1,4}$/;
/** Leading zeros are refused: some parsers read "010" as octal 8, so its meaning is ambiguous. */
const DECIMAL_OCTET = /^(?:0|[1-9]\d{0,2})$/;
/** Groups kept by 'stripLastOctet' for IPv6: the /48 routing prefix, the size of one site. */
const IPV6_KEPT_GROUPS = 3;

/**
 * `keep` returns the address normalised (IPv6 in RFC 5952 form, IPv4-mapped IPv6 as IPv4);
 * `stripLastOctet` zeroes the last IPv4 octet or the last 80 bits of an IPv6 address;
 * `remove`, an unknown policy and an unparseable address return undefined.
 */
export function applyIpPolicy(ip: string | undefined, policy: IpPolicy): string | undefined {
  if (policy !== 'keep' && policy !== 'stripLastOctet') return undefined;
  if (typeof ip !== 'string' || ip.length === 0 || ip.length > MAX_IP_LENGTH) return undefined;
  const parsed = parseIp(ip.trim());
  if (parsed === undefined) return undefined;
  if (parsed.length === 4) {
    if (policy === 'stripLastOctet') parsed[3] = 0;
    return parsed.join('.');
  }
  if (policy === 'stripLastOctet') parsed.fill(0, IPV6_KEPT_GROUPS);
  return formatIpv6(parsed);
}

export interface ClientIpInput {
  remoteAddress?: string;
  forwardedFor?: string | string[];
  trustProxy: boolean;
}

/**
 * The client's address as reported: the left-most X-Forwarded-For entry when the app sits behind
 * a proxy it trusts (the header is client-controlled otherwise), else the socket's address. The
 * result is raw; pass it through applyIpPolicy before it goes anywhere.
 */
export function clientIp(input: ClientIpInput): string | undefined {
  if (input === null || typeof input !== 'object') return undefined;
  if (input.trustProxy === true) {
    const forwarded = leftmostForwarded(input.forwardedFor);
    if (forwarded !== undefined) return forwarded;
  }
  const remote = input.remoteAddress;
  return typeof remote === 'string' && remote !== '' ? remote : undefined;
}

function leftmostForwarded(header: string | string[] | undefined): string | undefined {
  const first = Array.isArray(header) ? header[0] : header;
  if (typeof first !== 'string') return undefined;
  const comma = first.indexOf(',');
  const entry = (comma < 0 ? first : first.slice(0, comma)).trim();
  return entry === '' ? undefined : entry;
}

/** Four octets for IPv4 (also when written IPv4-mapped), eight 16-bit groups for IPv6. */
export function parseIp(text: string): number[] | undefined {
  const bracketed = BRACKETED.exec(text);
  if (bracketed) return toIpv4IfMapped(parseIpv6(bracketed[1]));
  if (text.includes(':')) {
    const withPort = IPV4_WITH_PORT.exec(text);
    return withPort ? parseIpv4(withPort[1]) : toIpv4IfMapped(parseIpv6(text));
  }
  return parseIpv4(text);
}

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!DECIMAL_OCTET.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return octets;
}

function parseIpv6(raw: string): number[] | undefined {
  const zone = raw.indexOf('%');
  const text = (zone < 0 ? raw : raw.slice(0, zone)).toLowerCase();
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0], halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1], true) : [];
  if (head === undefined || tail === undefined) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  return [...head, ...new Array<number>(halves.length === 1 ? 0 : missing).fill(0), ...tail];
}

/** Colon-separated hex groups; the last one may be a dotted IPv4 address when `allowIpv4Tail`. */
function parseGroups(text: string, allowIpv4Tail: boolean): number[] | undefined {
  if (text === '') return [];
  const parts = text.split(':');
  const groups: number[] = [];
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    if (allowIpv4Tail && i === parts.length - 1 && part.includes('.')) {
      const v4 = parseIpv4(part);
      if (v4 === undefined) return undefined;
      groups.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
    } else if (HEX_GROUP.test(part)) {
      groups.push(parseInt(part, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

/** `::ffff:a.b.c.d` is an IPv4 client seen through a dual-stack socket: it is that IPv4 address. */
function toIpv4IfMapped(groups: number[] | undefined): number[] | undefined {
  if (groups === undefined) return undefined;
  const mapped = groups[5] === 0xffff && groups.slice(0, 5).every((g) => g === 0);
  return mapped ? [groups[6] >> 8, groups[6] & 0xff, groups[7] >> 8, groups[7] & 0xff] : groups;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run (>= 2) of zero groups as `::`. */
function formatIpv6(groups: readonly number[]): string {
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}
