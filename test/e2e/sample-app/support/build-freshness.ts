import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
export const SAMPLE_APP_MAIN = join(REPO_ROOT, 'dist', 'sample-app', 'main.js');

const SOURCE_DIRS = ['lib', 'sample-app'];
const LOCK_DIR = join(REPO_ROOT, 'dist', '.sample-app-build.lock');
const LOCK_STALE_MS = 5 * 60_000;
const LOCK_WAIT_MS = 180_000;

/**
 * The end-to-end tests run the BUILT app, as a user would. CI builds before testing; in a
 * developer's loop this rebuilds (`npm run build`) when `dist/sample-app/main.js` is missing or
 * older than any TypeScript file under lib/ or sample-app/. Test files run in parallel workers,
 * so the build is guarded by a lock directory and re-checked once the lock is held.
 */
export async function ensureSampleAppBuilt(): Promise<void> {
  if (isFresh()) return;
  await withLock(() => {
    if (isFresh()) return;
    const build = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 170_000 });
    if (!isFresh()) {
      throw new Error(
        `dist/sample-app is missing or older than the sources and \`npm run build\` did not fix it ` +
          `(exit ${build.status}). Run \`npm run build\` and read its errors:\n${build.stdout}${build.stderr}`,
      );
    }
  });
}

function isFresh(): boolean {
  if (!existsSync(SAMPLE_APP_MAIN)) return false;
  const built = statSync(SAMPLE_APP_MAIN).mtimeMs;
  return SOURCE_DIRS.every((dir) => newestTypeScript(join(REPO_ROOT, dir)) <= built);
}

function newestTypeScript(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestTypeScript(path));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

async function withLock(fn: () => void): Promise<void> {
  mkdirSync(join(REPO_ROOT, 'dist'), { recursive: true });
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      mkdirSync(LOCK_DIR);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = statSync(LOCK_DIR, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > LOCK_STALE_MS) rmSync(LOCK_DIR, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Waited ${LOCK_WAIT_MS} ms for another test's build (${LOCK_DIR}); remove it if no build is running`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    fn();
  } finally {
    rmSync(LOCK_DIR, { recursive: true, force: true });
  }
}
