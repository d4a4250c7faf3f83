// The library under test: the build in dist/ (`npm run build`), or another build directory
// given as BENCH_LIB_DIR (e.g. `npx tsc -p tsconfig.build.json --outDir /tmp/x` to compare a change).
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = process.env.BENCH_LIB_DIR
  ? pathToFileURL(`${resolve(process.env.BENCH_LIB_DIR)}/`)
  : new URL('../../dist/', import.meta.url);

export const library = await import(new URL('lib/index.js', root).href);
