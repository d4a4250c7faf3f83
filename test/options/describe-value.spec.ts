import { describeValue, MAX_QUOTED_CHARS } from '../../lib/options/describe-value.js';

function revoked(): object {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
}

describe('describeValue', () => {
  it.each([
    ['a string', 'ten', '"ten"'],
    ['an empty string', '', '""'],
    ['null', null, 'null'],
    ['undefined', undefined, 'undefined'],
    ['a number', -5, 'number -5'],
    ['NaN', Number.NaN, 'number NaN'],
    ['a boolean', false, 'boolean false'],
    ['a bigint', 2n, 'bigint 2'],
    ['a symbol', Symbol('s'), 'symbol Symbol(s)'],
    ['an array', [1, 2], 'an array'],
    ['an object', { a: 1 }, 'an object'],
    ['a function', () => 1, 'a function'],
    ['a class', class Foo {}, 'a function'],
    ['a RegExp', /^SELECT 1$/i, '/^SELECT 1$/i'],
  ])('%s', (_, value, expected) => {
    expect(describeValue(value)).toBe(expected);
  });

  it('quotes at most 40 characters of a string, marking the cut', () => {
    const exact = 'k'.repeat(MAX_QUOTED_CHARS);
    expect(MAX_QUOTED_CHARS).toBe(40);
    expect(describeValue(exact)).toBe(JSON.stringify(exact));
    expect(describeValue(`${'s'.repeat(40)}SECRET-TAIL`)).toBe(`"${'s'.repeat(40)}…"`);
  });

  it('never quotes a password, token or card the value carries', () => {
    expect(describeValue('postgres://admin:Pa55w0rd!@db/x')).toBe('"postgres://admin:[REDACTED]@db/x"');
    expect(describeValue('jitsu.example.com?token=abc123def')).toBe('"jitsu.example.com?token=[REDACTED]"');
    expect(describeValue('4111 1111 1111 1111')).toBe('"[REDACTED_CARD]"');
  });

  it('escapes quotes and control characters as JSON does', () => {
    expect(describeValue('a"b\nc')).toBe('"a\\"b\\nc"');
  });

  it('cuts long texts of RegExps and symbols too', () => {
    expect(describeValue(new RegExp('x'.repeat(60)))).toBe(`/${'x'.repeat(39)}…`);
    expect(describeValue(Symbol('y'.repeat(60)))).toBe(`symbol Symbol(${'y'.repeat(33)}…`);
  });

  it('never prints the source of a function', () => {
    const secret = () => 'hunter2-password';
    expect(describeValue(secret)).not.toContain('hunter2');
  });

  it('describes hostile objects without throwing', () => {
    const trapped = new Proxy({}, { getPrototypeOf: () => { throw new Error('trap'); } });
    const fakeRegExp = new Proxy(/x/, {});
    expect(describeValue(revoked())).toBe('an object');
    expect(describeValue(trapped)).toBe('an object');
    expect(describeValue(fakeRegExp)).toBe('an object');
  });

  it("with shown 'type', names values other than strings and null by their type alone", () => {
    expect(describeValue(42, 'type')).toBe('number');
    expect(describeValue({ a: 1 }, 'type')).toBe('object');
    expect(describeValue(undefined, 'type')).toBe('undefined');
    expect(describeValue(() => 1, 'type')).toBe('function');
    expect(describeValue(null, 'type')).toBe('null');
    expect(describeValue('x'.repeat(50), 'type')).toBe(`"${'x'.repeat(40)}…"`);
  });
});
