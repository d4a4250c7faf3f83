import fc, { type Arbitrary } from 'fast-check';

/**
 * Values a careless or hostile caller can hand to the public API: everything `fc.anything` makes
 * (BigInt, Map, Set, typed arrays, valid and invalid Dates, null-prototype objects, sparse
 * arrays, boxed primitives, lone surrogates) plus what it cannot: cycles, getters and toJSON that
 * throw, proxies that throw on every trap, revoked proxies, huge strings, very deep nesting,
 * symbols, functions, and `__proto__`/`constructor` keys as own properties.
 *
 * Exotic values are generated as a `Recipe` and built by `materialize` right before the call:
 * fast-check itself inspects generated values (to clone and print them), which a revoked proxy
 * would break, and a fresh build per run means one run cannot mutate another's value.
 */
export class Recipe {
  constructor(
    private readonly label: string,
    readonly build: () => unknown,
  ) {}

  [fc.toStringMethod](): string {
    return this.label;
  }
}

/** The value a generated argument stands for. */
export function materialize(value: unknown): unknown {
  return value instanceof Recipe ? value.build() : value;
}

/** Keys that are special to JavaScript, to JSON, or to this library's envelope. */
const SPECIAL_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toJSON', 'toString', 'valueOf', 'hasOwnProperty', 'then', 'length',
  'event_category', 'event_action', 'request_id', 'service_name', 'environment', '',
] as const;

export const hostileKey: Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  { weight: 2, arbitrary: fc.constantFrom(...SPECIAL_KEYS) },
);

const plainAnything = fc.anything({
  key: hostileKey,
  maxDepth: 3,
  maxKeys: 6,
  withBigInt: true,
  withMap: true,
  withSet: true,
  withTypedArray: true,
  withDate: true,
  withNullPrototype: true,
  withSparseArray: true,
  withBoxedValues: true,
  withObjectString: true,
  stringUnit: 'binary',
});

const boom = (what: string) => () => {
  throw new Error(`hostile ${what}`);
};

const THROWING_TRAPS: ProxyHandler<object> = {
  get: boom('get trap'),
  has: boom('has trap'),
  ownKeys: boom('ownKeys trap'),
  getOwnPropertyDescriptor: boom('getOwnPropertyDescriptor trap'),
  getPrototypeOf: boom('getPrototypeOf trap'),
  apply: boom('apply trap'),
};

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

/** Throws from every way of reading it as text. */
function unprintable(): object {
  return Object.defineProperties(
    {},
    {
      message: { get: boom('message getter') },
      name: { get: boom('name getter') },
      stack: { get: boom('stack getter') },
      [Symbol.toPrimitive]: { value: boom('toPrimitive') },
    },
  );
}

function deep(levels: number, leaf: unknown): unknown {
  let value: unknown = leaf;
  for (let i = 0; i < levels; i++) value = i % 2 === 0 ? { nested: value } : [value];
  return value;
}

/** One exotic value built around `seed` (another generated value); labelled by index in failure reports. */
const EXOTIC: ReadonlyArray<(seed: unknown, n: number) => unknown> = [
  (seed) => {
    const o: Record<string, unknown> = { seed };
    o.self = o;
    return o;
  },
  (seed) => {
    const a: unknown[] = [seed];
    a.push(a, { back: a });
    return a;
  },
  (seed) => {
    const m = new Map<unknown, unknown>([[{ objectKey: true }, seed], [Symbol('mapKey'), 1]]);
    m.set('self', m);
    return m;
  },
  (seed) => Object.defineProperty({ seed }, 'trap', { enumerable: true, get: boom('getter') }),
  // Getters that throw something which itself throws when read or printed.
  () => Object.defineProperty({}, 'trap', { enumerable: true, get: () => { throw revoked(); } }),
  () => Object.defineProperty({}, 'trap', { enumerable: true, get: () => { throw unprintable(); } }),
  () => ({ toJSON: boom('toJSON') }),
  (seed) => ({ toJSON: () => ({ replaced: seed }) }),
  function selfJson() {
    const o = { toJSON: () => o };
    return o;
  },
  () => new Proxy({}, THROWING_TRAPS),
  () => new Proxy([], THROWING_TRAPS),
  () => revoked(),
  () => unprintable(),
  // Past the 16 KiB string limit.
  (_seed, n) => 'x'.repeat(17_000 + (n % 4) * 1_000),
  (seed, n) => deep(20 + (n % 3) * 50, seed),
  () => Symbol('hostile'),
  (seed) => ({ [Symbol('key')]: seed, visible: 1 }),
  () => () => 'a function',
  () => class Hostile {},
  () => Object.defineProperty(new Error('err'), 'message', { get: boom('message getter') }),
  (seed) => {
    const error = new Error(`error around ${typeof seed}`, { cause: seed });
    (error as { self?: unknown }).self = error;
    return error;
  },
  () => new Date(Number.NaN),
  () => Object.create(Date.prototype),
  (seed) => JSON.parse(`{"__proto__": {"event_category": 1, "event_action": {"x": 1}, "polluted": true}, "seed": ${JSON.stringify(typeof seed)}}`),
  (seed) => Object.assign(Object.create(null), { seed, constructor: boom('constructor') }),
  () => ({ [Symbol.toPrimitive]: boom('toPrimitive'), toString: boom('toString'), valueOf: boom('valueOf') }),
  () => new BigInt64Array([1n, -2n]),
  () => new DataView(new ArrayBuffer(8)),
  () => Buffer.from('binary \u0000 data'),
  () => Promise.resolve(1),
  () => Object.defineProperty(Promise.resolve(1), 'then', { value: boom('then') }),
  () => new WeakMap(),
  () => /re(g)ex/gi,
  () => new URL('https://user:pass@example.com/path?q=1'),
  (_seed, n) => Object.fromEntries(Array.from({ length: 300 + (n % 4) * 100 }, (_, i) => [`k${i}`, i])),
  (_seed, n) => {
    const sparse: unknown[] = [];
    sparse.length = 5_000 + (n % 1000);
    sparse[5] = 'five';
    return sparse;
  },
  () =>
    Object.defineProperty({}, 'fresh', {
      enumerable: true,
      // A new object on every read: only a depth bound stops a walk.
      get() {
        return { fresh: this };
      },
    }),
];

const exotic: Arbitrary<unknown> = fc
  .tuple(fc.nat({ max: EXOTIC.length - 1 }), plainAnything, fc.nat())
  .map(([i, seed, n]) => new Recipe(`EXOTIC[${i}](${fc.stringify(seed)}, ${n})`, () => EXOTIC[i]!(seed, n)));

/** An object built from generated entries, so `__proto__` and `constructor` become own keys (as JSON.parse makes them). */
function objectOf(entries: Arbitrary<Array<[string, unknown]>>): Arbitrary<unknown> {
  return entries.map(
    (pairs) =>
      new Recipe(`fromEntries(${fc.stringify(pairs)})`, () => Object.fromEntries(pairs.map(([k, v]) => [k, materialize(v)]))),
  );
}

/** Any value at all: mostly ordinary data, often something built to break a serializer. */
export const hostileValue: Arbitrary<unknown> = fc.oneof({ weight: 3, arbitrary: plainAnything }, { weight: 2, arbitrary: exotic });

/** Property bags: objects with hostile keys and values, sometimes exotic themselves or not objects at all. */
export const hostileProperties: Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: objectOf(fc.array(fc.tuple(hostileKey, hostileValue), { maxLength: 6 })) },
  { weight: 2, arbitrary: exotic },
  { weight: 1, arbitrary: plainAnything },
);

/** Event names: ordinary, empty, blank, too long, huge, or not strings at all. */
export const hostileEventName: Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 160 }) },
  { weight: 1, arbitrary: fc.constantFrom('', '   ', '\n\t', 'x'.repeat(128), 'y'.repeat(129), 'z'.repeat(100_000)) },
  { weight: 2, arbitrary: hostileValue },
);

/** The third argument of `track()`: sensible, odd or hostile fields, or a hostile object. */
export const hostileTrackOptions: Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(undefined, null),
  objectOf(
    fc.tuple(
      fc.option(fc.oneof(fc.string(), hostileValue), { nil: undefined }),
      fc.option(fc.oneof(fc.string(), hostileValue), { nil: undefined }),
      fc.option(fc.oneof(fc.constantFrom('custom_events', 'signup_funnel', '1bad', 'bad-name', 'x'.repeat(64), ''), fc.string(), hostileValue), { nil: undefined }),
      fc.option(fc.oneof(fc.date({ noInvalidDate: false }), fc.integer(), fc.double(), fc.string(), hostileValue), { nil: undefined }),
    ).map(([userId, anonymousId, table, timestamp]) =>
      (
        [
          ['userId', userId],
          ['anonymousId', anonymousId],
          ['table', table],
          ['timestamp', timestamp],
        ] as Array<[string, unknown]>
      ).filter(([, v]) => v !== undefined),
    ),
  ),
  exotic,
);
