// Raw per-bench measurements next to the markdown (bench/results/*.json is git-ignored).
import { mkdirSync, writeFileSync } from 'node:fs';

export function writeRawResults(name, data) {
  const dir = new URL('../results/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL(`${name}.json`, dir), `${JSON.stringify(data, null, 2)}\n`);
}
