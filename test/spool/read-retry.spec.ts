import { BacklogReadRetry, nextReadAttemptIn, READ_GIVE_UP_AFTER_MS } from '../../lib/spool/read-retry.js';

describe('nextReadAttemptIn', () => {
  it('waits 1 s after the first failure, twice as long after each next one, at most a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 40].map((failures) => nextReadAttemptIn(failures, 0))).toEqual([
      1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000,
    ]);
  });

  it('never waits past the point of giving up, and gives up once reads have failed for 10 minutes', () => {
    expect(nextReadAttemptIn(9, READ_GIVE_UP_AFTER_MS - 5000)).toBe(5000);
    expect(nextReadAttemptIn(9, READ_GIVE_UP_AFTER_MS)).toBeUndefined();
    expect(nextReadAttemptIn(2, READ_GIVE_UP_AFTER_MS + 1)).toBeUndefined();
  });
});

describe('BacklogReadRetry', () => {
  const t0 = Date.parse('2026-11-28T08:00:00Z');

  it('holds reads back until the wait is over, and forgets the run once a read succeeds', () => {
    const retry = new BacklogReadRetry();
    expect(retry.mayRead(() => t0)).toBe(true);
    expect(retry.failed('EMFILE', t0)).toEqual({ kind: 'first', failures: 1, waitMs: 1000 });
    expect(retry.mayRead(() => t0 + 999)).toBe(false);
    expect(retry.mayRead(() => t0 + 1000)).toBe(true);
    expect(retry.failed('EMFILE', t0 + 1000)).toEqual({ kind: 'again', failures: 2, waitMs: 2000 });
    expect(retry.stall).toEqual({
      since: '2026-11-28T08:00:00.000Z',
      reason: 'could not read back the spool (EMFILE); reading is tried again',
    });
    retry.succeeded();
    expect(retry.stall).toBeUndefined();
    expect(retry.failed('EIO', t0 + 5000)).toMatchObject({ kind: 'first', failures: 1 });
  });

  it('once given up, reads what comes next as usual, and says until the next start that part was left', () => {
    const retry = new BacklogReadRetry();
    retry.failed('EIO', t0);
    expect(retry.failed('EIO', t0 + READ_GIVE_UP_AFTER_MS)).toEqual({ kind: 'gave_up', failures: 2 });
    const leftBehind = { since: '2026-11-28T08:00:00.000Z', reason: 'could not read back the spool (EIO); part of it is left for the next start' };
    expect(retry.stall).toEqual(leftBehind);
    expect(retry.mayRead(() => t0 + READ_GIVE_UP_AFTER_MS)).toBe(true);
    // A new run of failures is reported while it lasts; the part left behind once it is over.
    const later = t0 + 2 * READ_GIVE_UP_AFTER_MS;
    expect(retry.failed('EMFILE', later)).toMatchObject({ kind: 'first', failures: 1 });
    expect(retry.stall).toEqual({ since: new Date(later).toISOString(), reason: 'could not read back the spool (EMFILE); reading is tried again' });
    retry.succeeded();
    expect(retry.stall).toEqual(leftBehind);
    expect(retry.mayRead(() => later + 1)).toBe(true);
  });
});
