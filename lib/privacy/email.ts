/**
 * E-mail events keep only the recipient's domain (DESIGN.md). Callers pass whatever their mailer
 * takes as `to`: a string (`a@b.com`, `"Name" <a@b.com>`, `a@b.com, c@d.com`), an address object
 * (`{ name, address }`, as nodemailer accepts) or an array of those; the first recipient decides.
 */
const MAX_ADDRESS_LENGTH = 320;
const MAX_DOMAIN_LENGTH = 253;
/** Labels of letters, digits and inner hyphens; the last one alphabetic (or punycode). */
const DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})$/u;
const LOCAL_PART = /^[^\s@<>()[\]\\,;:"]+$|^"[^"\r\n]*"$/;

interface Address {
  /** As written, without display name, angle brackets or `mailto:`. */
  address: string;
  /** Lower-cased, without a trailing dot. */
  domain: string;
}

/** Lower-cased domain of the first plausible address in `address`, or undefined. Never throws. */
export function emailDomain(address: unknown): string | undefined {
  return firstAddress(address)?.domain;
}

/**
 * The first plausible address in `to`, alone (`"Ada" <ada@example.com>` → `ada@example.com`), or
 * undefined: a value that is not an address is never taken for one. Never throws.
 */
export function emailAddress(to: unknown): string | undefined {
  return firstAddress(to)?.address;
}

function firstAddress(value: unknown): Address | undefined {
  try {
    return addressOf(value, 0);
  } catch {
    // A getter or proxy that throws is just another value without an address.
    return undefined;
  }
}

function addressOf(value: unknown, depth: number): Address | undefined {
  if (typeof value === 'string') return addressOfText(value);
  if (depth > 2 || value === null || typeof value !== 'object') return undefined;
  if (Array.isArray(value)) return value.length > 0 ? addressOf(value[0], depth + 1) : undefined;
  const inner = (value as { address?: unknown }).address;
  return typeof inner === 'string' ? addressOfText(inner) : undefined;
}

function addressOfText(text: string): Address | undefined {
  let candidate = firstRecipient(text.length > 4 * MAX_ADDRESS_LENGTH ? text.slice(0, 4 * MAX_ADDRESS_LENGTH) : text);
  const open = candidate.lastIndexOf('<');
  if (open >= 0) {
    const close = candidate.indexOf('>', open);
    if (close < 0) return undefined;
    candidate = candidate.slice(open + 1, close).trim();
  }
  if (candidate.toLowerCase().startsWith('mailto:')) candidate = candidate.slice(7);
  if (candidate.length > MAX_ADDRESS_LENGTH) return undefined;
  const at = candidate.lastIndexOf('@');
  if (at <= 0) return undefined;
  if (!LOCAL_PART.test(candidate.slice(0, at))) return undefined;
  let domain = candidate.slice(at + 1).toLowerCase();
  if (domain.endsWith('.')) domain = domain.slice(0, -1);
  return domain.length <= MAX_DOMAIN_LENGTH && DOMAIN.test(domain) ? { address: candidate, domain } : undefined;
}

/** The text up to the first `,` or `;` that is outside a quoted display name and angle brackets. */
function firstRecipient(text: string): string {
  let quoted = false;
  let angle = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"' && !angle) quoted = !quoted;
    else if (c === '<' && !quoted) angle = true;
    else if (c === '>' && !quoted) angle = false;
    else if ((c === ',' || c === ';') && !quoted && !angle) return text.slice(0, i).trim();
  }
  return text.trim();
}
