import { jest } from '@jest/globals';
import { storableJson, storableText } from '../../lib/transports/warehouse/postgres-text.js';

const FFFD = '\ufffd';
const PAIR = '\ud83d\ude00';

/** JSON text as buildRow binds it, repaired, then read back the way PostgreSQL would serve it. */
const roundTrip = (value: unknown): unknown => JSON.parse(storableJson(JSON.stringify(value)));

describe('storableText', () => {
  it('replaces every NUL with U+FFFD', () => {
    expect(storableText('\0broken\0\0text\0')).toBe(`${FFFD}broken${FFFD}${FFFD}text${FFFD}`);
  });

  it('returns text without NUL unchanged, surrogates included (the driver encodes lone ones as U+FFFD)', () => {
    for (const text of ['', 'Order 7 not found', `smile ${PAIR}`, 'lone \ud800 and \udc00', 'u0000 \\u0000']) {
      expect(storableText(text)).toBe(text);
    }
  });
});

describe('storableJson', () => {
  it('turns the \\u0000 escape into \\ufffd, in values and in keys', () => {
    const json = JSON.stringify({ 'key\0': 'broken\0text' });
    expect(json).toBe('{"key\\u0000":"broken\\u0000text"}');
    expect(storableJson(json)).toBe('{"key\\ufffd":"broken\\ufffdtext"}');
  });

  it.each([
    ['a lone high surrogate', 'a\ud800b', `a${FFFD}b`],
    ['a lone high surrogate at the end', 'end\udbff', `end${FFFD}`],
    ['two high surrogates in a row', '\ud800\ud800', `${FFFD}${FFFD}`],
    ['a lone low surrogate', 'a\udc00b', `a${FFFD}b`],
    ['a lone low surrogate right after a valid pair', `${PAIR}\udfff`, `${PAIR}${FFFD}`],
    ['a high surrogate before a valid pair', `\ud800${PAIR}`, `${FFFD}${PAIR}`],
  ])('replaces %s with U+FFFD', (_, value, expected) => {
    expect(roundTrip({ value })).toEqual({ value: expected });
  });

  it('replaces lone surrogate escapes written in upper case', () => {
    expect(storableJson('["\\uD800","\\uDC00"]')).toBe('["\\ufffd","\\ufffd"]');
  });

  it('keeps valid surrogate pairs, written raw or as escapes', () => {
    for (const json of [JSON.stringify({ smile: PAIR }), '{"smile":"\\ud83d\\ude00"}', '"\\uD83D\\uDE00"']) {
      expect(storableJson(json)).toBe(json);
    }
  });

  it.each([
    ['one escaped backslash before u0000', '\\u0000', '"\\\\u0000"'],
    ['two escaped backslashes before u0000', '\\\\u0000', '"\\\\\\\\u0000"'],
    ['an escaped backslash before ud800', '\\ud800', '"\\\\ud800"'],
  ])('keeps %s (an even number of backslashes)', (_, value, json) => {
    expect(JSON.stringify(value)).toBe(json);
    expect(storableJson(json)).toBe(json);
  });

  it.each([
    ['an escaped backslash, then a NUL', '\\\0', '"\\\\\\u0000"', '"\\\\\\ufffd"'],
    ['two escaped backslashes, then a NUL', '\\\\\0', '"\\\\\\\\\\u0000"', '"\\\\\\\\\\ufffd"'],
    ['an escaped backslash, then a lone surrogate', '\\\udc00', '"\\\\\\udc00"', '"\\\\\\ufffd"'],
  ])('repairs %s (an odd number of backslashes)', (_, value, json, repaired) => {
    expect(JSON.stringify(value)).toBe(json);
    expect(storableJson(json)).toBe(repaired);
  });

  it('returns JSON with nothing to repair unchanged', () => {
    const clean = [
      '{}',
      JSON.stringify({ route: '/orders/:id', note: 'tab\there, quote " and \\ backslash', smile: PAIR, unicode: '\u00e9\u4e2d' }),
      '{"a":"\\u0041\\u00e9\\ufffd\\n"}',
    ];
    for (const json of clean) expect(storableJson(json)).toBe(json);
  });
});

describe('fast path', () => {
  afterEach(() => jest.restoreAllMocks());

  it('skips the rewriting pass for clean values', () => {
    const replace = jest.spyOn(String.prototype, 'replace');
    const replaceAll = jest.spyOn(String.prototype, 'replaceAll');
    const json = JSON.stringify({ route: '/orders/:id', smile: PAIR, path: 'C:\\u0001' });
    expect(storableJson(json)).toBe(json);
    expect(storableText(`Order 7 not found ${PAIR}`)).toBe(`Order 7 not found ${PAIR}`);
    expect(replace).not.toHaveBeenCalled();
    expect(replaceAll).not.toHaveBeenCalled();
  });
});
