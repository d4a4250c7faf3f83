// `npm run bench`: runs every bench/*.bench.mjs in its own process, one after the other, and
// writes what they print (their markdown tables) to bench/results/latest.md. Progress goes to
// stderr and is not recorded. `node bench/run.mjs pipeline http` runs only the matching files
// and leaves latest.md alone.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { machine } from './bench-utils.mjs';

const dir = fileURLToPath(new URL('.', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.mjs'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

function run(file) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--expose-gc', `${dir}${file}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      out += chunk;
    });
    child.on('close', (status) => resolve({ file, status, out }));
  });
}

const started = new Date();
const outputs = [];
for (const file of files) outputs.push(await run(file));
const failed = outputs.filter((o) => o.status !== 0);

if (only.length === 0) {
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const sections = outputs.map((o) => `<!-- ${o.file}${o.status === 0 ? '' : ` (exit ${o.status})`} -->\n${o.out.trim()}`);
  const doc = [
    '# Benchmark results (latest `npm run bench`)',
    '',
    `Run ${started.toISOString()} on ${machine()}; took ${minutes} min. How to read and reproduce: [bench/README.md](../README.md).`,
    '',
    ...sections.flatMap((s) => [s, '']),
  ].join('\n');
  mkdirSync(new URL('results/', import.meta.url), { recursive: true });
  writeFileSync(new URL('results/latest.md', import.meta.url), doc);
  process.stderr.write(`\nwrote bench/results/latest.md\n`);
}
if (failed.length > 0) process.stderr.write(`failed: ${failed.map((o) => o.file).join(', ')}\n`);
process.exit(failed.length === 0 ? 0 : 1);
