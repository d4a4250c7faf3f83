import { randomUUID } from 'node:crypto';

/**
 * An incoming `X-Request-Id` is kept when it looks like an id: 1–128 printable ASCII characters
 * without spaces. Anything else (a huge header, control characters, a list) is not echoed into
 * the warehouse; a fresh UUID is used instead.
 */
const ACCEPTED_ID = /^[\x21-\x7e]{1,128}$/;

/**
 * The request's id. A client's id passes the privacy rules once, here: it is added to every
 * event of the request as it is (an address used as an id keeps only its domain).
 */
export function requestIdFrom(header: string | string[] | undefined, privacy: { scrubText(text: string): string }): string {
  const value = Array.isArray(header) ? header[0] : header;
  return typeof value === 'string' && ACCEPTED_ID.test(value) ? privacy.scrubText(value) : randomUUID();
}
