import type { JitsuAnalyticsOptions } from '../analytics.options.js';
import { describeValue } from '../options/describe-value.js';
import { OptionReader } from '../options/option-reader.js';
import { ENDPOINTS } from './jitsu/jitsu-options.js';
import type { AnalyticsTransport } from './transport.interface.js';

export type ResolvedDestination =
  | { type: 'jitsu' | 'memory' | 'console' }
  | { type: 'warehouse'; url: string }
  | AnalyticsTransport;

export function resolveDestination(
  raw: JitsuAnalyticsOptions,
  jitsuUrl: string | undefined,
  problems: string[],
): ResolvedDestination {
  const d = raw.destination ?? (jitsuUrl ? 'jitsu' : 'console');
  if (typeof d === 'string') {
    if (d === 'jitsu' || d === 'memory' || d === 'console') return checkJitsuUrl({ type: d }, jitsuUrl, problems);
  } else if (d && typeof d === 'object') {
    if ('send' in d && typeof d.send === 'function') return d;
    const type = (d as { type?: unknown }).type;
    // A misspelt key (`uri`, `fileName`) would otherwise be ignored without a word.
    if (type === 'warehouse') new OptionReader('destination', problems).object(d, ['type', 'url']);
    else if (type === 'jitsu' || type === 'memory' || type === 'console') new OptionReader('destination', problems).object(d, ['type']);
    if (type === 'warehouse') {
      const url = (d as { url?: unknown }).url;
      if (typeof url !== 'string' || !/^(sqlite:|postgres(ql)?:\/\/)/.test(url)) {
        problems.push(`destination.url: expected 'sqlite:<file path>' or 'postgres://user:pass@host:5432/db', got ${typeof url === 'string' ? `a value starting ${describeValue(url.split(':')[0])}` : describeValue(url)}`);
      }
      return d as { type: 'warehouse'; url: string };
    }
    if (type === 'jitsu' || type === 'memory' || type === 'console') return checkJitsuUrl({ type }, jitsuUrl, problems);
  }
  problems.push(`destination: got ${describeValue(d)}, expected 'jitsu', 'memory', 'console', { type: 'warehouse', url } or a transport object with send(batch, signal)`);
  return { type: 'console' };
}

/** A URL copied with the endpoint on its end would be sent to `…/api/s/s2s/batch/api/s/s2s/batch`. */
export function withoutEndpointPath(url: string | undefined, problems: string[]): string | undefined {
  const endpoint = url === undefined ? undefined : Object.values(ENDPOINTS).find((path) => url.toLowerCase().endsWith(path));
  if (endpoint === undefined) return url;
  problems.push(`jitsuUrl: ends with Jitsu's endpoint path ${endpoint}, which the library adds itself; expected the server's address only, such as 'http://localhost:8080'`);
  return undefined;
}

function checkJitsuUrl(d: { type: 'jitsu' | 'memory' | 'console' }, jitsuUrl: string | undefined, problems: string[]): ResolvedDestination {
  // A jitsuUrl given but refused is already reported; "required" would contradict that message.
  const refused = problems.some((p) => p.startsWith('jitsuUrl:'));
  if (d.type === 'jitsu' && !jitsuUrl && !refused) problems.push(`jitsuUrl: required when destination is 'jitsu' (e.g. 'http://localhost:8080')`);
  return d;
}

export function checkWriteKey(key: unknown, protocol: 'next' | 'classic', problems: string[]): void {
  if (typeof key !== 'string' || key.trim() === '') {
    problems.push(`writeKey: required when sending to Jitsu, got ${key === '' ? 'an empty string' : describeValue(key)}; expected ${protocol === 'next' ? "a server-to-server key 'keyId:secret'" : 'a Classic server token'}`);
  } else if (!/^[\x21-\x7e]+$/.test(key)) {
    // An HTTP header cannot carry it: every delivery would fail. Name the shape only, never the value.
    problems.push(`writeKey: got a value of ${key.length} characters with a space, a control character or a character outside ASCII (a key copied with an invisible character?); expected printable ASCII only`);
  } else if (protocol === 'next' && !/^[^:]+:[^:]+$/.test(key)) {
    // Name the shape only: the value may be the secret itself.
    problems.push(`writeKey: expected a server-to-server key of the form 'keyId:secret', got a value of ${key.length} characters that is not of that form`);
  }
}
