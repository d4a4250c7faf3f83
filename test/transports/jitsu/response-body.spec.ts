import { readBodyText } from '../../../lib/transports/jitsu/response-body.js';

async function* chunks(...parts: Array<string | Uint8Array>): AsyncIterable<string | Uint8Array> {
  for (const part of parts) yield part;
}

describe('readBodyText', () => {
  it('joins the chunks of a body, whatever their type', async () => {
    expect(await readBodyText(chunks('{"ok":', Buffer.from('true'), new TextEncoder().encode('}')))).toBe('{"ok":true}');
  });

  it('keeps at most maxBytes of a longer body, cutting inside the chunk that crosses the cap', async () => {
    let read = 0;
    async function* endless(): AsyncIterable<Buffer> {
      for (;;) {
        read++;
        yield Buffer.from('0123456789');
      }
    }
    expect(await readBodyText(endless(), 25)).toBe('0123456789012345678901234');
    // It stops reading there rather than holding on to a body of any length.
    expect(read).toBe(3);
  });
});
