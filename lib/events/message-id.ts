import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then random bits, so ids sort by creation time and
 * warehouses can deduplicate on them. Within one millisecond a 12-bit counter in `rand_a` keeps
 * ids strictly increasing. Random bytes come from a pooled buffer: one syscall per 409 ids.
 */
export class MessageIdGenerator {
  private readonly pool = Buffer.allocUnsafe(POOL_SIZE);
  private offset = POOL_SIZE;
  private lastMs = -1;
  private counter = 0;

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      this.lastMs = now;
      this.counter = this.randomBytes(2).readUInt16BE(0) & 0x7ff;
    } else if (++this.counter > 0xfff) {
      // Counter exhausted within one ms: borrow the next millisecond to stay monotonic.
      this.lastMs += 1;
      this.counter = 0;
    }
    const rand = this.randomBytes(8);
    const ms = this.lastMs.toString(16).padStart(12, '0');
    const randA = (0x7000 | this.counter).toString(16);
    const variant = ((rand[0]! & 0x3f) | 0x80).toString(16) + hex2(rand[1]!);
    let tail = '';
    for (let i = 2; i < 8; i++) tail += hex2(rand[i]!);
    return `${ms.slice(0, 8)}-${ms.slice(8)}-${randA}-${variant}-${tail}`;
  }

  private randomBytes(n: number): Buffer {
    if (this.offset + n > POOL_SIZE) {
      randomFillSync(this.pool);
      this.offset = 0;
    }
    const out = this.pool.subarray(this.offset, this.offset + n);
    this.offset += n;
    return out;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
function hex2(byte: number): string {
  return HEX[byte]!;
}

export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
