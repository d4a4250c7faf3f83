/**
 * When appended records are forced to the disk itself. Every policy survives a crash of the
 * process (SIGKILL, OOM kill, uncaught exception): an event counts as queued only once
 * `fs.writeSync` has returned, and from then on it is in the OS page cache, which outlives the
 * process. The policies differ on a crash of the machine (power loss, kernel panic):
 * - `'always'`: `fdatasync` after every event. Nothing acknowledged as queued is lost, at the
 *   cost of one disk flush per `track()` call (milliseconds on most disks).
 * - `'interval'` (default): `fdatasync` at most once a second, from an unref'd timer, and when a
 *   segment is sealed. Up to about a second of events may be lost on power loss.
 * - `'never'`: left to the OS (Linux writes dirty pages back within ~30 s).
 */
export type SpoolFsyncPolicy = 'always' | 'interval' | 'never';

/**
 * `spool: { dir }` keeps queued events in files under `dir` until they are delivered, so events
 * survive a crash, a restart or a long outage: on start, what an earlier process left is sent
 * first. Off by default. With the spool on, `maxQueueSize`/`maxQueueBytes` bound only the memory
 * part (the rest is read back from disk, in order) and `maxBytes` bounds the disk. One process
 * per directory (a lock file holds it).
 */
export interface SpoolOptions {
  /** Directory of the segment files; created if missing. Give each app instance its own. */
  dir: string;
  /** Most bytes the spool may use on disk; once reached, new events are dropped as `spool_full`. Default 256 MiB. */
  maxBytes?: number | string;
  /** See `SpoolFsyncPolicy`. Default 'interval'. */
  fsync?: SpoolFsyncPolicy;
}
