/** One row of the table printed at the end of the chaos suite. */
export interface ChaosRow {
  run: string;
  /** Events the app acknowledged as queued (track() returned, not reported dropped). */
  offered: number;
  delivered: number;
  atSink: number;
  duplicates: number;
  dropped: ReadonlyMap<string, number>;
  missing: number;
}

export function chaosTable(rows: readonly ChaosRow[], phases: readonly string[]): string {
  const header = ['run', 'offered', 'delivered (distinct)', 'events at sink', 'duplicates (by messageId)', 'dropped by reason', 'missing'];
  const line = (cells: readonly (string | number)[]) => `| ${cells.join(' | ')} |`;
  const dropped = (d: ReadonlyMap<string, number>) => (d.size === 0 ? 'none' : [...d].map(([reason, n]) => `${reason}: ${n}`).join(', '));
  return [
    'Chaos suite (counted at the fake Jitsu server by seq and messageId)',
    ...phases.map((p) => `  ${p}`),
    line(header),
    line(header.map(() => '---')),
    ...rows.map((r) => line([r.run, r.offered, r.delivered, r.atSink, r.duplicates, dropped(r.dropped), r.missing])),
  ].join('\n');
}
