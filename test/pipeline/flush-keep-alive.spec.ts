import { compileSources } from '../support/compile-sources.js';
import { runScript } from '../support/run-script.js';

describe('flush() in a script', () => {
  it('keeps the process alive through a retry until the event is delivered, then lets it exit', async () => {
    const build = await compileSources('test/pipeline/fixture/flush-script.ts');
    try {
      const { code, stdout } = await runScript(build.entry);
      expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: JSON.stringify({ flushed: true, sent: 1, calls: 2 }) });
    } finally {
      build.remove();
    }
  });

  it('without flush(), the batch timer does not keep the process alive', async () => {
    const build = await compileSources('test/pipeline/fixture/idle-script.ts');
    try {
      // Killed (code null) if still running long before the batch timer is due.
      const { code, stdout } = await runScript(build.entry, [], 20_000);
      expect({ code, stdout: stdout.trim() }).toEqual({ code: 0, stdout: JSON.stringify({ exited: true }) });
    } finally {
      build.remove();
    }
  });
});
