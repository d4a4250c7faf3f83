import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeJitsuServer } from '../fake-jitsu/fake-jitsu-server.js';
import { AppProcess } from './support/app-process.js';
import { chaosTable, type ChaosRow } from './support/chaos-report.js';
import { compileSources, type CompiledSources } from '../support/compile-sources.js';
import { missingSeqs, tallyRun } from './support/sink-tally.js';
import { storm } from './support/storm.js';

/**
 * Real app processes (test/chaos/fixture/load-app.ts: Nest + JitsuAnalyticsModule over undici)
 * under load while the fake Jitsu server misbehaves in every way it can, then SIGTERM; and,
 * with the spool on, a SIGKILL in the middle of a burst and a restart. Counted at the sink.
 */
const RATE = 1_000;
let fake: FakeJitsuServer;
let build: CompiledSources;
const apps: AppProcess[] = [];
const dirs: string[] = [];
const rows: ChaosRow[] = [];
const phases: string[] = [];

beforeAll(async () => {
  [fake, build] = await Promise.all([FakeJitsuServer.start(), compileSources('test/chaos/fixture/load-app.ts')]);
}, 60_000);

afterAll(async () => {
  for (const app of apps) app.kill('SIGKILL');
  await Promise.all(apps.map((app) => app.exited));
  await fake?.stop();
  build?.remove();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  console.log(chaosTable(rows, phases));
});

function startApp(run: string, env: Record<string, string> = {}): AppProcess {
  const app = new AppProcess(build.entry, { CHAOS_JITSU_URL: fake.url, CHAOS_WRITE_KEY: fake.writeKey, CHAOS_RUN: run, ...env });
  apps.push(app);
  return app;
}

function spoolDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'jitsu-chaos-spool-'));
  dirs.push(dir);
  return dir;
}

/** Counts the run at the sink and records it in the final table. */
function count(run: string, offered: number, dropped: ReadonlyMap<string, number>) {
  const tally = tallyRun(fake.events(), run);
  const missingCount = Array.from({ length: offered }, (_, seq) => seq).filter((seq) => !tally.seqs.has(seq)).length;
  rows.push({ run, offered, delivered: tally.delivered, atSink: tally.events, duplicates: tally.duplicates, dropped, missing: missingCount });
  return {
    ...tally,
    missing: missingSeqs(tally, offered),
    /** Each seq arrived under one messageId: after dedupe by messageId, exactly once. */
    oneIdPerSeq: tally.events - tally.duplicates === tally.delivered,
  };
}

async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
}

const segmentFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.seg') || f.endsWith('.ack'));

describe('chaos', () => {
  it('outage, flapping, slow answers, resets and a 429 storm, then SIGTERM: every offered event arrives, spool off or on', async () => {
    const dir = spoolDir();
    const off = startApp('storm, spool off', { CHAOS_RATE: String(RATE) });
    // A memory window of 2,000 events: most of the outage's backlog is read back from disk.
    const on = startApp('storm, spool on', { CHAOS_RATE: String(RATE), CHAOS_SPOOL_DIR: dir, CHAOS_MAX_QUEUE_SIZE: '2000' });
    await Promise.all([off.ready(), on.ready()]);
    phases.push(...(await storm(fake)));
    const exits = await Promise.all([off.stop('SIGTERM'), on.stop('SIGTERM')]);

    // Nest re-raises SIGTERM once its shutdown hooks (and so the final delivery) are done.
    expect(exits).toEqual([{ code: null, signal: 'SIGTERM' }, { code: null, signal: 'SIGTERM' }]);
    for (const app of [off, on]) {
      expect(app.stoppedAt).toBeGreaterThan(RATE * 20);
      // Without the spool the queue bounds (100,000 events) hold the whole outage; with it, the disk does.
      expect(app.dropped).toEqual(new Map());
    }
    for (const [run, app] of [['storm, spool off', off], ['storm, spool on', on]] as const) {
      const sink = count(run, app.stoppedAt!, app.dropped);
      expect(sink.missing).toEqual([]);
      expect(sink.delivered).toBe(app.stoppedAt);
      expect(sink.oneIdPerSeq).toBe(true);
    }
    expect(segmentFiles(dir)).toEqual([]);
    expect(existsSync(join(dir, 'spool.lock'))).toBe(false);
  }, 120_000);

  it('SIGKILL in the middle of a burst with the spool on, then a restart: every acknowledged event arrives', async () => {
    const dir = spoolDir();
    // Slow answers keep batches in flight and a backlog in the spool when the kill lands.
    fake.setDelay(300);
    const first = startApp('SIGKILL mid-burst + restart', { CHAOS_MODE: 'burst', CHAOS_SPOOL_DIR: dir });
    await first.ready();
    // A second process on the same directory is refused at bootstrap rather than sharing the files.
    const intruder = startApp('intruder', { CHAOS_COUNT: '0', CHAOS_SPOOL_DIR: dir });
    expect(await intruder.exited).toEqual({ code: 1, signal: null });
    expect(intruder.errorOutput).toContain(`spool.dir ${dir} is in use by process ${first.pid}`);
    await first.offered(20_000);
    first.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const acknowledged = first.lastOffered + 1;
    const beforeRestart = tallyRun(fake.events(), 'SIGKILL mid-burst + restart').delivered;
    expect(beforeRestart).toBeLessThan(acknowledged);
    phases.push(`SIGKILL after ${acknowledged} events acknowledged as queued, ${beforeRestart} of them delivered before the kill`);
    expect(segmentFiles(dir).length).toBeGreaterThan(0);

    fake.setDelay(0);
    const second = startApp('SIGKILL mid-burst + restart', { CHAOS_COUNT: '0', CHAOS_SPOOL_DIR: dir });
    await second.ready();
    await until(() => missingSeqs(tallyRun(fake.events(), 'SIGKILL mid-burst + restart'), acknowledged, 1).length === 0, 30_000);
    expect(await second.stop('SIGTERM')).toEqual({ code: null, signal: 'SIGTERM' });

    const dropped = new Map([...first.dropped, ...second.dropped]);
    expect(dropped).toEqual(new Map());
    const sink = count('SIGKILL mid-burst + restart', acknowledged, dropped);
    expect(sink.missing).toEqual([]);
    expect(sink.oneIdPerSeq).toBe(true);
    expect(segmentFiles(dir)).toEqual([]);
  }, 90_000);
});
