import { CallReader } from '../../lib/decorators/call-reader.js';
import type { TrackedCall } from '../../lib/decorators/tracked-call.interface.js';

const call: TrackedCall = { args: [{ amount: 5 }], result: undefined, error: new Error('declined'), instance: {} };

function reader() {
  const reports: string[] = [];
  return { reports, read: new CallReader(call, (why) => reports.push(why)) };
}

describe('CallReader', () => {
  it('hands each extractor the call and returns its value', () => {
    const { read, reports } = reader();
    expect(read.field('amount', ({ args }) => args[0].amount)).toBe(5);
    expect(read.field('error', ({ error }) => (error as Error).message)).toBe('declined');
    expect(read.field('none', undefined)).toBeUndefined();
    expect(reports).toEqual([]);
  });

  it('gives the fallback (undefined unless given) for an extractor that throws, and reports it by field', () => {
    const { read, reports } = reader();
    expect(read.field('amount', ({ result }) => result.amount)).toBeUndefined();
    expect(read.field('success', () => { throw 'plain text'; }, true)).toBe(true);
    expect(reports).toEqual([
      "the 'amount' extractor threw TypeError: Cannot read properties of undefined (reading 'amount')",
      "the 'success' extractor threw plain text",
    ]);
  });

  it('refuses a Promise: extractors are synchronous, and the rejection is not left unhandled', async () => {
    const { read, reports } = reader();
    expect(read.field('amount', () => Promise.reject(new Error('later')))).toBeUndefined();
    expect(reports).toEqual(["the 'amount' extractor returned a Promise; extractors must return their value synchronously"]);
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('describes a thrown value it cannot read without throwing itself', () => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    const { read, reports } = reader();
    expect(read.field('currency', () => { throw proxy; })).toBeUndefined();
    expect(reports).toEqual(["the 'currency' extractor threw a value that cannot be read"]);
  });
});
