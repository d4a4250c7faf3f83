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

  it('starts each millisecond low enough in its counter that 2048 more ids keep that millisecond', () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
    // The counter's start is random: twenty generators make a start in the upper half all but certain to be seen.
    for (let g = 0; g < 20; g++) {
      const ids = new MessageIdGenerator();
      const made = Array.from({ length: 2049 }, () => ids.next(now));
      expect(made.filter((id) => msOf(id) !== now)).toEqual([]);
    }
  });
});
