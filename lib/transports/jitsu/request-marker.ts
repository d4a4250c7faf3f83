/**
 * Every request the Jitsu transport makes carries this header, so outbound-HTTP instrumentation
 * (diagnostics_channel `undici:request:create`) can skip them instead of tracking its own
 * deliveries in a loop. A header rather than the origin: an application may call its Jitsu
 * server itself (e.g. its admin API), and those calls should still be tracked.
 */
export const MARKER_HEADER = 'x-jitsu-analytics-client';
export const MARKER_VALUE = '1';

/**
 * Whether an undici request (as published on `undici:request:create`) was made by this transport.
 * Accepts the header shapes undici versions publish: a flat `[name, value, ...]` array (undici 7,
 * values may be Buffers), a raw `name: value\r\n` string (undici 6, Node's own fetch), an array of
 * pairs or a plain object.
 */
export function isJitsuTransportRequest(request: { headers?: unknown; origin?: unknown }): boolean {
  const headers = request?.headers;
  if (typeof headers === 'string') return rawHeadersHaveMarker(headers);
  if (Array.isArray(headers)) return arrayHasMarker(headers);
  if (typeof headers === 'object' && headers !== null) {
    return Object.entries(headers).some(([name, value]) => isMarker(name, value));
  }
  return false;
}

function arrayHasMarker(headers: readonly unknown[]): boolean {
  if (headers.every((entry) => Array.isArray(entry))) {
    return headers.some((entry) => isMarker((entry as unknown[])[0], (entry as unknown[])[1]));
  }
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (isMarker(headers[i], headers[i + 1])) return true;
  }
  return false;
}

function rawHeadersHaveMarker(raw: string): boolean {
  return raw.split('\r\n').some((line) => {
    const colon = line.indexOf(':');
    return colon > 0 && isMarker(line.slice(0, colon), line.slice(colon + 1));
  });
}

function isMarker(name: unknown, value: unknown): boolean {
  if (text(name)?.trim().toLowerCase() !== MARKER_HEADER) return false;
  const values = Array.isArray(value) ? value : [value];
  return values.some((v) => text(v)?.trim() === MARKER_VALUE);
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  return undefined;
}
