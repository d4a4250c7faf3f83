// The floor: no SDK, just the unavoidable work. Each event is stringified, 500 are joined into
// one Jitsu batch body and POSTed with undici, 2 requests in flight; every row reads as a
// fraction of it. With `options.gzip`, bodies are gzipped (level 1, off the main thread) as this
// library sends them: the floor for an SDK that compresses.
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { Pool } from 'undici';
import { apiCallProperties, EVENT_NAME, USER_ID } from '../../lib/workload.mjs';

const BATCH = 500;
const IN_FLIGHT = 2;
/** The same envelope this library sends, so bodies weigh the same. */
const LIBRARY_CONTEXT = { library: { name: 'nestjs-jitsu-analytics', version: '0.1.0' } };

const gzipAsync = promisify(gzip);

export function create({ sinkUrl, options = {} }) {
  const pool = new Pool(sinkUrl, { connections: IN_FLIGHT });
  const headers = { 'content-type': 'application/json', 'x-write-key': 'bench-key:bench-secret' };
  if (options.gzip) headers['content-encoding'] = 'gzip';
  const encode = options.gzip ? (body) => gzipAsync(body, { level: 1 }) : async (body) => body;
  let buffer = [];
  const bodies = [];
  let inFlight = 0;
  let idle;
  let failed = 0;

  const pump = () => {
    while (inFlight < IN_FLIGHT && bodies.length > 0) {
      inFlight++;
      encode(bodies.shift())
        .then((body) => pool.request({ path: '/api/s/s2s/batch', method: 'POST', headers, body }))
        .then((res) => res.body.dump())
        .catch(() => failed++)
        .finally(() => {
          inFlight--;
          pump();
          if (inFlight === 0 && bodies.length === 0) idle?.();
        });
    }
  };
  const seal = () => {
    if (buffer.length === 0) return;
    bodies.push(`{"batch":[${buffer.join(',')}]}`);
    buffer = [];
    pump();
  };

  return {
    track: (i) => {
      buffer.push(
        JSON.stringify({
          type: 'track',
          event: EVENT_NAME,
          messageId: randomUUID(),
          timestamp: new Date().toISOString(),
          userId: USER_ID,
          properties: { ...apiCallProperties(i), event_category: 'backend' },
          context: LIBRARY_CONTEXT,
          JITSU_TABLE_NAME: 'api_events',
        }),
      );
      if (buffer.length === BATCH) seal();
    },
    flush: () => {
      seal();
      if (inFlight === 0 && bodies.length === 0) return Promise.resolve();
      return new Promise((resolve) => (idle = resolve));
    },
    close: () => pool.close(),
    report: () => ({ dropped: failed ? { request_failed: failed } : {} }),
  };
}
