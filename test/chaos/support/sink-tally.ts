import type { JsonObject } from '../../fake-jitsu/jitsu-protocol.js';

/** What the sink holds of one run of the chaos app, counted by seq and by messageId. */
export interface SinkTally {
  /** Events accepted, duplicates included. */
  events: number;
  /** Distinct seqs delivered. */
  delivered: number;
  /** Events accepted more than once (same messageId): retries after a lost answer, a resend after a crash. */
  duplicates: number;
  seqs: ReadonlySet<number>;
}

export function tallyRun(events: readonly JsonObject[], run: string): SinkTally {
  const seqs = new Set<number>();
  const ids = new Set<string>();
  let count = 0;
  for (const event of events) {
    const properties = event.properties as { run?: unknown; seq?: unknown } | undefined;
    if (properties?.run !== run) continue;
    count++;
    ids.add(String(event.messageId));
    seqs.add(Number(properties.seq));
  }
  return { events: count, delivered: seqs.size, duplicates: count - ids.size, seqs };
}

/** The seqs in [0, count) the sink does not hold, summarised as ranges ("17-20, 95"), at most `limit` of them. */
export function missingSeqs(tally: SinkTally, count: number, limit = 20): string[] {
  const ranges: string[] = [];
  for (let seq = 0; seq < count && ranges.length < limit; seq++) {
    if (tally.seqs.has(seq)) continue;
    let end = seq;
    while (end + 1 < count && !tally.seqs.has(end + 1)) end++;
    ranges.push(end === seq ? `${seq}` : `${seq}-${end}`);
    seq = end;
  }
  return ranges;
}
