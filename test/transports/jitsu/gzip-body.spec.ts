import { gunzipSync } from 'node:zlib';
import { encodeBody, SYNC_GZIP_MAX_BYTES } from '../../../lib/transports/jitsu/gzip-body.js';

describe('encodeBody', () => {
  const json = (bytes: number) => Buffer.from(`{"batch":[${'{"event":"API Call","route":"/api/products"},'.repeat(Math.ceil(bytes / 44))}{}]}`);

  it.each([
    ['a body just at the threshold (compressed on the spot)', 4096],
    ['the largest body compressed on the spot', SYNC_GZIP_MAX_BYTES],
    ['a body past it (compressed on the thread pool)', SYNC_GZIP_MAX_BYTES + 1],
    ['a large batch', 400_000],
  ])('gzips %s into what gunzips back to it', async (_what, size) => {
    const raw = json(size).subarray(0, size);
    const { payload, gzipped } = await encodeBody(raw, 4096);
    expect(gzipped).toBe(true);
    expect(payload.length).toBeLessThan(raw.length);
    expect(gunzipSync(payload).equals(raw)).toBe(true);
  });

  it('sends a body under the threshold as it is', async () => {
    const raw = json(4095).subarray(0, 4095);
    await expect(encodeBody(raw, 4096)).resolves.toEqual({ payload: raw, gzipped: false });
  });
});
