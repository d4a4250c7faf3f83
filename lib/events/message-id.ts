import { randomFillSync } from 'node:crypto';

const POOL_SIZE = 4096;

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then random bits, so ids sort by creation time and
 * warehouses can deduplicate on them. Within one millisecond a 12-bit counter in `rand_a` keeps
 * ids strictly increasing. Random bytes come from a pooled buffer, one syscall per 409 ids.
 *
 * Ids are made on every event's path, so the text is assembled from slices: the timestamp part is
 * formatted once per millisecond and the random part is cut from the pool's hex spelling (made
 * once per refill) instead of formatting eight bytes one by one.
 */
export class MessageIdGenerator {
  private readonly pool = Buffer.allocUnsafe(POOL_SIZE);
  private poolHex = '';
  private offset = POOL_SIZE;
  private lastMs = -1;
  private counter = 0;
  /** `tttttttt-tttt-` for `lastMs`. */
  private prefix = '';

  next(now = Date.now()): string {
    if (now > this.lastMs) {
      const at = this.reserve(2);
      this.counter = ((this.pool[at]! << 8) | this.pool[at + 1]!) & 0x7ff;
      this.setMs(now);
    } else if (++this.counter > 0xfff) {
      // Counter exhausted within one ms: borrow the next millisecond to stay monotonic.
      this.counter = 0;
      this.setMs(this.lastMs + 1);
    }
    const at = this.reserve(8);
    const hex = 2 * at;
    const variant = HEX[(this.pool[at]! & 0x3f) | 0x80]!;
    return `${this.prefix}${(0x7000 | this.counter).toString(16)}-${variant}${this.poolHex.slice(hex + 2, hex + 4)}-${this.poolHex.slice(hex + 4, hex + 16)}`;
  }

  private setMs(ms: number): void {
    this.lastMs = ms;
    const text = ms.toString(16).padStart(12, '0');
    this.prefix = `${text.slice(0, 8)}-${text.slice(8)}-`;
  }

  /** Offset of `n` unused random bytes in the pool, refilling it when it runs out. */
  private reserve(n: number): number {
    if (this.offset + n > POOL_SIZE) {
      randomFillSync(this.pool);
      this.poolHex = this.pool.toString('hex');
      this.offset = 0;
    }
    const at = this.offset;
    this.offset += n;
    return at;
  }
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export const UUID_V7_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
