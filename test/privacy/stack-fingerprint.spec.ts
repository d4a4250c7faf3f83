import { parseFrames, stackFingerprint } from '../../lib/privacy/stack-fingerprint.js';

/** An error whose stack is exactly `lines`, as V8 would print it. */
function errorWithStack(name: string, message: string, frames: string[]): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = [`${name}: ${message}`, ...frames.map((f) => `    at ${f}`)].join('\n');
  return error;
}

const ROOT_A = '/home/alice/projects/shop';
const ROOT_B = '/srv/app';

function shopStack(root: string, line: number, query = ''): string[] {
  return [
    `ChargeService.charge (${root}/dist/payments/charge.service.js${query}:${line}:17)`,
    `async PaymentsController.create (${root}/dist/payments/payments.controller.js:${line + 10}:5)`,
    `async Promise.all (index 0)`,
    `${root}/node_modules/@nestjs/core/router/router-execution-context.js:46:28`,
    `process.processTicksAndRejections (node:internal/process/task_queues:95:5)`,
  ];
}

describe('stackFingerprint', () => {
  it('is 16 lower-case hex characters', () => {
    expect(stackFingerprint(errorWithStack('Error', 'x', shopStack(ROOT_A, 10)), ROOT_A)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is the same across machines, deploys that move lines, messages and cache-busting queries', () => {
    const here = stackFingerprint(errorWithStack('CardDeclined', 'card 1 declined', shopStack(ROOT_A, 10)), ROOT_A);
    const there = stackFingerprint(errorWithStack('CardDeclined', 'card 2 declined', shopStack(ROOT_B, 99, '?t=123')), ROOT_B);
    expect(there).toBe(here);
  });

  it('ignores the package manager layout and versions before the last node_modules/', () => {
    const npm = errorWithStack('TypeError', 'x', ['f (/a/node_modules/lib/index.js:1:1)']);
    const pnpm = errorWithStack('TypeError', 'x', ['f (/b/node_modules/.pnpm/lib@2.0.1/node_modules/lib/index.js:9:9)']);
    expect(stackFingerprint(pnpm, '/b')).toBe(stackFingerprint(npm, '/a'));
  });

  it('treats file:// URLs, Windows paths and webpack queries like plain paths', () => {
    const posix = errorWithStack('Error', 'x', ['run (/srv/app/dist/main.js:1:1)']);
    const url = errorWithStack('Error', 'x', ['run (file:///srv/app/dist/main.js?v=3#top:8:2)']);
    const windows = errorWithStack('Error', 'x', ['run (C:\\srv\\app\\dist\\main.js:5:5)']);
    const windowsUrl = errorWithStack('Error', 'x', ['run (file:///C:/srv/app/dist/main.js:5:5)']);
    const base = stackFingerprint(posix, '/srv/app');
    expect(stackFingerprint(url, '/srv/app/')).toBe(base);
    expect(stackFingerprint(windows, 'C:\\srv\\app')).toBe(base);
    expect(stackFingerprint(windowsUrl, 'C:\\srv\\app')).toBe(base);
  });

  it('differs by error name, by throw site and by calling function', () => {
    const base = stackFingerprint(errorWithStack('Error', 'x', shopStack(ROOT_A, 10)), ROOT_A);
    const renamed = stackFingerprint(errorWithStack('RangeError', 'x', shopStack(ROOT_A, 10)), ROOT_A);
    const otherFile = shopStack(ROOT_A, 10);
    otherFile[0] = otherFile[0].replace('charge.service', 'refund.service');
    const otherFunction = shopStack(ROOT_A, 10);
    otherFunction[1] = otherFunction[1].replace('PaymentsController.create', 'PaymentsController.update');
    const fingerprints = [
      base,
      renamed,
      stackFingerprint(errorWithStack('Error', 'x', otherFile), ROOT_A),
      stackFingerprint(errorWithStack('Error', 'x', otherFunction), ROOT_A),
    ];
    expect(new Set(fingerprints).size).toBe(4);
  });

  it('uses the top five own frames, skipping Node internals', () => {
    const own = Array.from({ length: 5 }, (_, i) => `f${i} (/srv/app/f${i}.js:1:1)`);
    const internal = 'Module._compile (node:internal/modules/cjs/loader:1358:14)';
    const plain = stackFingerprint(errorWithStack('Error', 'x', own), '/srv/app');
    expect(stackFingerprint(errorWithStack('Error', 'x', [internal, ...own, internal]), '/srv/app')).toBe(plain);
    expect(stackFingerprint(errorWithStack('Error', 'x', [...own, 'f5 (/srv/app/f5.js:1:1)']), '/srv/app')).toBe(plain);
    const changedFifth = [...own.slice(0, 4), 'other (/srv/app/f4.js:1:1)'];
    expect(stackFingerprint(errorWithStack('Error', 'x', changedFifth), '/srv/app')).not.toBe(plain);
  });

  it('falls back to internal frames when there are no others', () => {
    const a = errorWithStack('Error', 'x', ['readFile (node:fs:1:1)']);
    const b = errorWithStack('Error', 'x', ['writeFile (node:fs:1:1)']);
    expect(stackFingerprint(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(stackFingerprint(a)).not.toBe(stackFingerprint(b));
  });

  it('gives real errors from the same site the same fingerprint and from different functions different ones', () => {
    const capture = (run: () => void): unknown => {
      try {
        run();
      } catch (error) {
        return error;
      }
      throw new Error('expected a throw');
    };
    function chargeCard(): void {
      throw new TypeError(`declined ${Math.random()}`);
    }
    function refundCard(): void {
      throw new TypeError(`declined ${Math.random()}`);
    }
    const first = stackFingerprint(capture(chargeCard));
    expect(first).toMatch(/^[0-9a-f]{16}$/);
    expect(stackFingerprint(capture(chargeCard))).toBe(first);
    expect(stackFingerprint(capture(refundCard))).not.toBe(first);
  });

  it('groups two throws inside one function together: lines are not part of the fingerprint', () => {
    const inOneFunction = (line: number) =>
      errorWithStack('TypeError', 'x', [`Cart.checkout (/srv/app/cart.js:${line}:9)`, 'main (/srv/app/main.js:1:1)']);
    expect(stackFingerprint(inOneFunction(10), '/srv/app')).toBe(stackFingerprint(inOneFunction(42), '/srv/app'));
  });

  it('reads Firefox/Safari style stacks when there is no V8 frame', () => {
    const gecko = (line: number) => Object.assign(new Error('x'), { stack: `charge@/srv/app/pay.js:${line}:3\n@/srv/app/main.js:1:1` });
    expect(stackFingerprint(gecko(10), '/srv/app')).toBe(stackFingerprint(gecko(20), '/srv/app'));
    expect(stackFingerprint(gecko(10), '/srv/app')).toMatch(/^[0-9a-f]{16}$/);
  });

  it('does not read frames out of a multi-line message', () => {
    const error = new Error('x');
    error.stack = 'Error: failed\nat step 3 (/srv/app/x.js:1:1)\n    at real (/srv/app/y.js:1:1)';
    const same = new Error('x');
    same.stack = 'Error: other\n    at real (/srv/app/y.js:5:5)';
    expect(stackFingerprint(error, '/srv/app')).toBe(stackFingerprint(same, '/srv/app'));
  });

  it.each<[string, unknown]>([
    ['a string', 'boom'],
    ['a number', 42],
    ['null', null],
    ['undefined', undefined],
    ['a plain object', { message: 'x' }],
    ['an object with a non-string stack', { stack: 42 }],
    ['an error without frames', Object.assign(new Error('x'), { stack: 'Error: x' })],
    ['an error without a stack', Object.assign(new Error('x'), { stack: undefined })],
  ])('returns undefined for %s', (_label, value) => {
    expect(stackFingerprint(value)).toBeUndefined();
  });

  it('never throws on hostile values', () => {
    const throwingStack = Object.defineProperty(new Error('x'), 'stack', {
      get() {
        throw new Error('boom');
      },
    });
    const throwingName = Object.defineProperty(new Error('x'), 'name', {
      get() {
        throw new Error('boom');
      },
    });
    const revoked = Proxy.revocable({}, {});
    revoked.revoke();
    expect(stackFingerprint(throwingStack)).toBeUndefined();
    expect(stackFingerprint(throwingName)).toBeUndefined();
    expect(stackFingerprint(revoked.proxy)).toBeUndefined();
  });

  it('accepts non-Error objects that carry a stack, defaulting the name', () => {
    const serialized = { stack: 'Error: x\n    at f (/srv/app/a.js:1:1)' };
    const named = { name: 'Error', stack: 'Error: y\n    at f (/srv/app/a.js:7:7)' };
    expect(stackFingerprint(serialized, '/srv/app')).toBe(stackFingerprint(named, '/srv/app'));
  });
});

describe('parseFrames', () => {
  it.each([
    ['    at Foo.bar (/a/b.js:1:2)', { fn: 'Foo.bar', location: '/a/b.js:1:2' }],
    ['    at async Foo.bar (/a/b.js:1:2)', { fn: 'Foo.bar', location: '/a/b.js:1:2' }],
    ['    at new Foo (/a/b.js:1:2)', { fn: 'Foo', location: '/a/b.js:1:2' }],
    ['    at Object.<anonymous> (/a/b.js:1:2)', { fn: 'Object.<anonymous>', location: '/a/b.js:1:2' }],
    ['    at Foo.baz [as qux] (/a/b.js:1:2)', { fn: 'Foo.baz', location: '/a/b.js:1:2' }],
    ['    at /a/b.js:1:2', { fn: '', location: '/a/b.js:1:2' }],
    ['    at eval (eval at run (/a/b.js:1:2), <anonymous>:1:1)', { fn: 'eval', location: 'eval at run (/a/b.js:1:2), <anonymous>:1:1' }],
  ])('%j', (line, frame) => {
    expect(parseFrames(`Error: x\n${line}`)).toEqual([frame]);
  });
});
