import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';

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
 * The async call costs a fixed ~0.1 ms thread-pool round trip whatever the size (see
 * `SYNC_GZIP_MAX_BYTES` for how small bodies avoid it). Below ~4 KB the
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
 * Bodies up to this size are gzipped synchronously. Measured (Node 20, 2 shared cores, level 1,
 * one compression per event-loop turn, event-loop time from `eventLoopUtilization`):
 *
 *   body            sync: loop time (all CPU)     async: loop time (all CPU)
 *   6.5 KB  (10)    31-34 µs (36-48 µs)           64-117 µs (174-250 µs)
 *   65 KB   (100)   111-161 µs (113-163 µs)       54-72 µs (230-285 µs)
 *   324 KB  (500)   824-830 µs                    161-163 µs (1.1-1.2 ms)
 *
 * The async call's stream and thread-pool hand-off cost the event loop more than compressing a
 * small body outright, and cost three to five times the CPU: up to 16 KB (about 25 typical
 * events, the default-sized batches) the synchronous call takes less of the loop and less CPU;
 * above it the thread pool keeps a large batch off the loop.
 */
export const SYNC_GZIP_MAX_BYTES = 16 * 1024;

/** The body to send and whether it is gzipped. */
export async function encodeBody(raw: Buffer, gzipMinBytes: number): Promise<{ payload: Buffer; gzipped: boolean }> {
  if (raw.length < gzipMinBytes) return { payload: raw, gzipped: false };
  const options = { level: GZIP_LEVEL };
  const payload = raw.length <= SYNC_GZIP_MAX_BYTES ? gzipSync(raw, options) : await gzipAsync(raw, options);
  return { payload, gzipped: true };
}
