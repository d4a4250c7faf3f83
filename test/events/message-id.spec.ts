import { MessageIdGenerator, UUID_V7_PATTERN } from '../../lib/events/message-id.js';

describe('MessageIdGenerator', () => {
  it('makes RFC 9562 version-7 UUIDs carrying the creation time', () => {
    const ids = new MessageIdGenerator();
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const id = ids.next(now);
    expect(id).toMatch(UUID_V7_PATTERN);
    expect(parseInt(id.replace(/-/g, '').slice(0, 12), 16)).toBe(now);
  });

  it('is unique and strictly increasing, also within one millisecond', () => {
    const ids = new MessageIdGenerator();
    const now = Date.now();
    const made = Array.from({ length: 10_000 }, () => ids.next(now));
    expect(new Set(made).size).toBe(made.length);
    expect([...made].sort()).toEqual(made);
    expect(made.every((id) => UUID_V7_PATTERN.test(id))).toBe(true);
  });

  it('differs between generators (random bits)', () => {
    const now = Date.now();
    expect(new MessageIdGenerator().next(now)).not.toBe(new MessageIdGenerator().next(now));
  });
});
