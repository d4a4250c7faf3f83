import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const gzipAsync = promisify(gzip);

/**
 * Bodies at or above this many bytes are gzipped (Jitsu Next's batch endpoint only).
 *
 * Measured once (Node 20, 2 shared cores) on batches of typical events, ~620 bytes of JSON each
 * (API calls, queries, sign-ins, payments, system samples; fresh UUIDs and timestamps):
 *
 *   body          level 1              level 6              async zlib.gzip, level 1
 *   760 B  (1)    528 B (69 %)         525 B (69 %)         ~0.10-0.18 ms
 *   2.5 KB (4)    992 B (39 %)         964 B (38 %)         ~0.10 ms
 *   5 KB   (8)    1.3 KB (27 %)        1.3 KB (26 %)        ~0.09 ms
 *   31 KB  (50)   3.8 KB (12 %)        3.6 KB (11 %)        0.11 ms  (level 6: 0.17 ms)
 *   62 KB  (100)  6.5 KB (10 %)        6.2 KB (10 %)        0.16 ms  (level 6: 0.37 ms)
 *   625 KB (1000) 58 KB  (9 %)         52 KB  (8 %)         1.7 ms   (level 6: 3.2 ms)
 *
 * The async call costs a fixed ~0.1 ms thread-pool round trip whatever the size. Below ~4 KB the
 * body fits in three TCP segments either way and saving 1-2 KB is worth about that much transfer
 * time on a 100 Mbit/s link, so compressing buys nothing and costs Jitsu a decode; from ~4 KB
 * (default-sized batches of 8-10 events) the body shrinks to a quarter or less.
 */
export const DEFAULT_GZIP_MIN_BYTES = 4096;

/**
 * Level 1: within 1 % of level 6's size on event JSON (repetitive keys compress at any level)
 * for half the CPU, and the CPU is the application's.
 */
export const GZIP_LEVEL = 1;

/**
 * The body to send and whether it is gzipped. Async zlib runs on the thread pool, so a large
 * batch does not block the application's event loop.
 */
export async function encodeBody(raw: Buffer, gzipMinBytes: number): Promise<{ payload: Buffer; gzipped: boolean }> {
  if (raw.length < gzipMinBytes) return { payload: raw, gzipped: false };
  return { payload: await gzipAsync(raw, { level: GZIP_LEVEL }), gzipped: true };
}
