import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transform, type Options } from '@swc/core';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** The transform Jest uses (swc.transform.json), emitting plain ES modules that Node runs directly. */
const SWC: Options = {
  ...(JSON.parse(readFileSync(join(REPO, 'swc.transform.json'), 'utf8')) as Options),
  swcrc: false,
};

export interface CompiledSources {
  /** Absolute path of the compiled `relativeEntry`. */
  entry: string;
  remove(): void;
}

/**
 * For a test whose app must run in its own process, from the current sources. `dist/` is not an
 * option: `npm test` runs in a developer's loop without a build, and a stale or half-written
 * `dist/` would test something else. So `lib/` and the fixture are compiled on the fly with the
 * same swc transform as Jest (about a second), into a temp directory that mirrors the repo's
 * layout (relative imports keep working), holds a package.json with `"type": "module"` and the
 * package's name and version, and links the repo's node_modules (bare imports resolve there).
 */
export async function compileSources(relativeEntry: string, folders: readonly string[] = ['lib']): Promise<CompiledSources> {
  const out = mkdtempSync(join(tmpdir(), 'jitsu-test-build-'));
  const { name, version } = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { name: string; version: string };
  writeFileSync(join(out, 'package.json'), JSON.stringify({ name, version, type: 'module' }));
  symlinkSync(join(REPO, 'node_modules'), join(out, 'node_modules'), 'dir');
  const sources = [...folders.flatMap((folder) => typeScriptFiles(join(REPO, folder))), join(REPO, relativeEntry)];
  await Promise.all(
    sources.map(async (file) => {
      const { code } = await transform(readFileSync(file, 'utf8'), { ...SWC, filename: file });
      const target = join(out, relative(REPO, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, code);
    }),
  );
  return {
    entry: join(out, relativeEntry.replace(/\.ts$/, '.js')),
    remove: () => rmSync(out, { recursive: true, force: true }),
  };
}

function typeScriptFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}
