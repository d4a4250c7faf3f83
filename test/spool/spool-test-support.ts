import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { QueuedEvent } from '../../lib/transports/transport.interface.js';

/** A fresh directory per test, removed by `cleanup()`. */
export function tempDirs() {
  const made: string[] = [];
  return {
    make(): string {
      const dir = mkdtempSync(join(tmpdir(), 'jitsu-spool-'));
      made.push(dir);
      return dir;
    },
    cleanup(): void {
      for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A queued event whose JSON carries `i`, padded to about `bytes` bytes. */
export function spoolEvent(i: number, bytes = 120, table = 'custom_events'): QueuedEvent {
  const messageId = `0190a0b0-0000-7000-8000-${String(i).padStart(12, '0')}`;
  const json = JSON.stringify({ messageId, i, note: 'é✓', pad: 'x'.repeat(Math.max(0, bytes - 90)) });
  return { messageId, table, json, bytes: Buffer.byteLength(json) };
}

export const indexOf = (item: QueuedEvent): number => (JSON.parse(item.json) as { i: number }).i;
