/**
 * Enough of a body to read Jitsu's per-event errors for a large batch; anything longer is not a
 * Jitsu answer worth holding in memory.
 */
export const MAX_RESPONSE_BODY_BYTES = 1024 * 1024;

/**
 * Reads a response body as text, keeping at most `maxBytes`. A body is always consumed to its end
 * (undici only reuses the socket then); one over the cap is abandoned instead, which closes that
 * socket: the pool opens another.
 */
export async function readBodyText(body: AsyncIterable<Buffer | Uint8Array | string>, maxBytes = MAX_RESPONSE_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const room = maxBytes - size;
    chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
    size += Math.min(buffer.length, room);
    if (size >= maxBytes) break;
  }
  return Buffer.concat(chunks).toString('utf8');
}
