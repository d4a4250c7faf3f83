import { compileSources, type CompiledSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';

// The scripts end their process with 3 events held: 2 in flight to a destination that never
// answers, 1 queued (fixture/exit-script.ts).
describe('a process that exits without shutting analytics down', () => {
  let build: CompiledSources;
  beforeAll(async () => {
    build = await compileSources('test/pipeline/fixture/exit-script.ts');
  });
  afterAll(() => build.remove());

  const run = async (mode: string) => {
    const { code, stdout, stderr } = await runScript(build.entry, [mode], 20_000, { captureStderr: true });
    return { code, stderr, lines: stdout.trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>) };
  };
  const built = (lines: Array<Record<string, unknown>>) => lines.filter((l) => l.built);
  const announced = (lines: Array<Record<string, unknown>>) => lines.filter((l) => !l.built);

  it('process.exit(): counts every held event, in flight or queued, as dropped (exit) on the dropped listener', async () => {
    const { code, lines } = await run('exit');
    expect(code).toBe(3);
    expect(built(lines)).toHaveLength(3);
    expect(announced(lines)).toEqual([
      {
        dropped: 'exit',
        count: 3,
        ids: 3,
        detail: expect.stringMatching(/^the process exited \(code 3\) before they were delivered; close the app first \(app\.enableShutdownHooks\(\), .*set spool/),
      },
    ]);
  });

  it('without a dropped listener, logs the loss as a warning, and never the write key', async () => {
    const { code, lines } = await run('logged');
    expect(code).toBe(3);
    expect(announced(lines)).toEqual([{ warn: expect.stringMatching(/^dropped 3 event\(s\): exit \(the process exited \(code 3\) before they were delivered;/) }]);
    expect(JSON.stringify(lines)).not.toContain('exit-secret-5d41');
  });

  it('a script whose last line ran: the loss is announced as the process ends (code 0)', async () => {
    const { code, lines } = await run('end');
    expect(code).toBe(0);
    expect(announced(lines)).toEqual([expect.objectContaining({ dropped: 'exit', count: 3, detail: expect.stringContaining('(code 0)') })]);
  });

  it('an unhandled rejection ends the process as before, and its Backend Error is recorded and counted with the rest', async () => {
    const { code, lines, stderr } = await run('reject');
    // Node's own exit code and report: the library observes the error without handling it.
    expect(code).toBe(1);
    expect(stderr).toContain('Error: export failed; password=hunter2\n    at ');
    expect(built(lines).map((l) => l.properties)).toEqual([
      expect.objectContaining({ n: 1 }),
      expect.objectContaining({ n: 2 }),
      expect.objectContaining({ n: 3 }),
      expect.objectContaining({
        error_source: 'process',
        error_origin: 'unhandled_rejection',
        error_name: 'Error',
        error_message: 'export failed; password=[REDACTED]',
      }),
    ]);
    expect(announced(lines)).toEqual([expect.objectContaining({ dropped: 'exit', count: 4, detail: expect.stringContaining('(code 1)') })]);
  });

  it('a rejection the app takes with its own unhandledRejection listener is recorded too, and the process goes on', async () => {
    const { code, lines } = await run('app-takes-rejections');
    expect(code).toBe(0);
    expect(built(lines).map((l) => l.properties)).toEqual([
      ...[1, 2, 3].map((n) => expect.objectContaining({ n })),
      expect.objectContaining({ error_source: 'process', error_origin: 'unhandled_rejection', error_message: 'export failed; password=[REDACTED]' }),
    ]);
    expect(announced(lines)).toEqual([
      { appSaw: 'export failed; password=hunter2' },
      { alive: true },
      expect.objectContaining({ dropped: 'exit', count: 4 }),
    ]);
  });

  it('once the app removes its listener, the next rejection crashes the process as without the library (two instances alike)', async () => {
    const { code, lines, stderr } = await run('app-listener-removed');
    expect(code).toBe(1);
    expect(stderr).toContain('Error: export failed; password=hunter2\n    at ');
    expect(lines[3]).toEqual({ rejectionListeners: 0, other: 0 });
    expect(built(lines).filter((l) => l.built === 'Backend Error').map((l) => l.properties)).toEqual([
      expect.objectContaining({ error_source: 'process', error_origin: 'unhandled_rejection' }),
    ]);
  });

  it('after shutdown() nothing is announced at exit: shutdown reported the loss and removed the listener', async () => {
    const { code, lines } = await run('shut-down');
    expect(code).toBe(0);
    expect(announced(lines)).toEqual([
      expect.objectContaining({ dropped: 'shutdown', count: 3 }),
      { warn: "shut down with 3 event(s) undelivered after 100 ms, dropped (reason 'shutdown')" },
      { exitListeners: 1 },
    ]);
  });
});
