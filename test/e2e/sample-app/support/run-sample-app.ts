import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RowsByTable } from './event-rows.js';
import { runBlock } from './readme-requests.js';
import { type AppExit, SampleAppProcess } from './sample-app-process.js';

export interface Run {
  exit: AppExit;
  log: string;
  rows: RowsByTable;
  token: string;
}

/** Starts the app, runs the README's block, stops it with SIGTERM; `readRows` collects what was delivered. */
export async function runSampleApp(block: string, env: Record<string, string>, readRows: (dataDir: string) => RowsByTable): Promise<Run> {
  const dataDir = mkdtempSync(join(tmpdir(), 'sample-app-e2e-'));
  // A batch size and timeout no run reaches: nothing is delivered before SIGTERM, so every event
  // below went through the shutdown flush. System Performance is sampled every 200 ms.
  const app = await SampleAppProcess.start({
    DATA_DIR: dataDir,
    ANALYTICS_BATCH_SIZE: '1000',
    ANALYTICS_BATCH_TIMEOUT: '600000',
    ANALYTICS_SYSTEM_INTERVAL_MS: '200',
    ...env,
  });
  try {
    const tokenFile = join(dataDir, 'token.txt');
    // Appended after the README's block: hands the shell's $TOKEN back, to check it reached no table.
    const requests = await runBlock(block, app.url, `printf '%s' "$TOKEN" > '${tokenFile}'`);
    if (requests.exitCode !== 0) throw new Error(`the README's requests failed (exit ${requests.exitCode}):\n${requests.stderr}`);
    // At least one System Performance sample (every 200 ms here) before shutting down.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const exit = await app.stop('SIGTERM');
    return { exit, log: app.log, rows: readRows(dataDir), token: readFileSync(tokenFile, 'utf8') };
  } finally {
    await app.stop('SIGKILL').catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

