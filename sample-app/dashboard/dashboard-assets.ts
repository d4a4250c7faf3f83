import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The page, its script and chart.js, read once at startup and served by the app itself (no CDN). */
export interface DashboardAssets {
  page: string;
  script: string;
  chartJs: string;
}

const PUBLIC_DIR = join('sample-app', 'dashboard', 'public');

/**
 * `tsc` compiles only TypeScript into `dist/`, so the page and script are read from the source
 * tree: the nearest ancestor of this module holding `sample-app/dashboard/public` (the repository
 * root, whether this runs from `dist/sample-app` or from the sources under a test runner).
 * chart.js is resolved like any dependency, then its UMD build is taken from the same folder.
 */
export function loadDashboardAssets(from: string = dirname(fileURLToPath(import.meta.url))): DashboardAssets {
  const publicDir = join(findAncestorWith(from, PUBLIC_DIR), PUBLIC_DIR);
  const chartEntry = createRequire(import.meta.url).resolve('chart.js');
  return {
    page: readFileSync(join(publicDir, 'index.html'), 'utf8'),
    script: readFileSync(join(publicDir, 'dashboard.js'), 'utf8'),
    chartJs: readFileSync(join(dirname(chartEntry), 'chart.umd.min.js'), 'utf8'),
  };
}

function findAncestorWith(start: string, relative: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return dir;
    if (dirname(dir) === dir) throw new Error(`Dashboard assets not found: no ${relative} above ${start}`);
  }
}
