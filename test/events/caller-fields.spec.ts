import { callerFields, type FieldReading } from '../../lib/events/caller-fields.js';

function reading(): FieldReading & { warnings: string[]; unreadableCount: number } {
  const r = {
    warnings: [] as string[],
    unreadableCount: 0,
    unreadable: () => {
      r.unreadableCount++;
      return '[Unreadable]';
    },
    warn: (message: string) => void r.warnings.push(message),
  };
  return r;
}

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('callerFields', () => {
  it('copies an object: later changes by the caller do not reach the copy', () => {
    const r = reading();
    const given = { plan: 'pro', seats: 3 };
    const copy = callerFields(given, 'extra', r)!;
    given.plan = 'free';
    expect(copy).toEqual({ plan: 'pro', seats: 3 });
    expect(r.warnings).toEqual([]);
  });

  it('keeps the readable fields of an object with a throwing getter, and marks that one', () => {
    const r = reading();
    const given = Object.defineProperty({ a: 1, b: 2 }, 'lazy', { enumerable: true, get: () => { throw new Error('not loaded'); } });
    expect(callerFields(given, 'extra', r)).toEqual({ a: 1, b: 2, lazy: '[Unreadable]' });
    expect(r.unreadableCount).toBe(1);
  });

  it('gives no fields, with a warning naming what, for an object that cannot be listed', () => {
    const r = reading();
    expect(callerFields(revoked(), 'trackPayment() extra', r)).toBeUndefined();
    expect(callerFields(new Proxy({}, { ownKeys: () => { throw new Error('trap'); } }), 'track() properties', r)).toBeUndefined();
    expect(r.warnings).toEqual([
      'trackPayment() extra could not be read (a revoked proxy?): recorded without them',
      'track() properties could not be read (a revoked proxy?): recorded without them',
    ]);
  });

  it('reads a Map as its entries, and keeps anything but an object as { value } with a warning', () => {
    const r = reading();
    expect(callerFields(new Map<unknown, unknown>([['plan', 'pro'], [7, true]]), 'extra', r)).toEqual({ plan: 'pro', 7: true });
    const when = new Date(0);
    expect(callerFields([1, 2], 'extra', r)).toEqual({ value: [1, 2] });
    expect(callerFields('text', 'extra', r)).toEqual({ value: 'text' });
    expect(callerFields(when, 'extra', r)).toEqual({ value: when });
    expect(r.warnings).toEqual([
      'extra should be an object, got an array: kept as { value }',
      'extra should be an object, got string: kept as { value }',
      'extra should be an object, got a Date: kept as { value }',
    ]);
  });

  it('gives no fields and no warning for undefined and null', () => {
    const r = reading();
    expect(callerFields(undefined, 'extra', r)).toBeUndefined();
    expect(callerFields(null, 'extra', r)).toBeUndefined();
    expect(r.warnings).toEqual([]);
  });

  it("leaves out, with a warning, what is no object of fields when asked to (an extra: an Error's message must not ride along)", () => {
    const r = reading();
    const failure = new Error("Duplicate entry 'bob-secret' for key 'users.name'");
    expect(callerFields(failure, 'trackDbQuery() extra', r, 'left out')).toBeUndefined();
    expect(callerFields('note', 'trackPayment() extra', r, 'left out')).toBeUndefined();
    expect(callerFields({ plan: 'pro' }, 'trackPayment() extra', r, 'left out')).toEqual({ plan: 'pro' });
    expect(r.warnings).toEqual(['trackDbQuery() extra should be an object, got an Error: left out', 'trackPayment() extra should be an object, got string: left out']);
  });
});
