import { compileSources, type CompiledSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';

/** The scenario runs in its own process: before the fix it looped forever, synchronously. */
describe('DiskSpool reading a segment another process cut short', () => {
  let build: CompiledSources;
  beforeAll(async () => {
    build = await compileSources('test/spool/fixture/truncated-segment.ts', ['lib', 'test/spool']);
  });
  afterAll(() => build.remove());

  it.each(['sealed', 'open'])('skips the missing part of a %s segment with a warning, and goes on with the rest', async (which) => {
    const { code, stdout } = await runScript(build.entry, [which], 15_000);
    expect(code).toBe(0);
    const { read, lost, length, warnings } = JSON.parse(stdout) as { read: number[]; lost: number; length: number; warnings: string[] };
    // In order, once each: what the cut left of the first segment (2000 bytes hold about ten
    // events), then, after the gap, every event of the later segments.
    const gap = read.findIndex((i, k) => i !== k);
    expect(gap).toBeGreaterThan(5);
    const after = read.slice(gap, -1);
    if (which === 'sealed') {
      expect(after.length).toBeGreaterThan(20);
      expect(after).toEqual(Array.from({ length: after.length }, (_, k) => 150 - after.length + k));
    } else {
      expect(after).toEqual([]);
    }
    expect(read.at(-1)).toBe(1000);
    expect(length).toBe(0);
    expect(warnings).toContain('spool_corrupt');
    // What was not read is counted as lost: every event is either read or a counted drop.
    expect(lost).toBe((which === 'sealed' ? 150 : 30) - (read.length - 1));
  });
});
