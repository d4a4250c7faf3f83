import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** `@nestjs/terminus` is an optional peer: only the `./health` entry point may load it. */
const root = fileURLToPath(new URL('../../', import.meta.url));
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, unknown>;
  peerDependencies: Record<string, string>;
  peerDependenciesMeta: Record<string, { optional?: boolean }>;
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const IMPORTS_TERMINUS = /(?:from\s*|import\s*\(\s*|require\s*\(\s*)['"]@nestjs\/terminus(?:\/[^'"]*)?['"]/;
/** Any import of the health folder's entry or its terminus-bound indicator. */
const IMPORTS_INDICATOR = /['"][^'"]*health\/(?:index|analytics-health\.indicator)\.js['"]/;

describe('@nestjs/terminus as an optional peer', () => {
  const files = sources(join(root, 'lib')).map((path) => ({ path: relative(root, path), text: readFileSync(path, 'utf8') }));

  it('is imported by lib/health/ only, and nothing outside lib/health/ imports the indicator', () => {
    const importers = files.filter((f) => IMPORTS_TERMINUS.test(f.text)).map((f) => f.path);
    expect(importers).toContain(join('lib', 'health', 'analytics-health.indicator.ts'));
    expect(importers.filter((p) => !p.startsWith(join('lib', 'health')))).toEqual([]);
    const indicatorImporters = files.filter((f) => !f.path.startsWith(join('lib', 'health')) && IMPORTS_INDICATOR.test(f.text));
    expect(indicatorImporters.map((f) => f.path)).toEqual([]);
  });

  it('is declared as an optional peer and reached through the ./health subpath', () => {
    expect(pkg.peerDependencies['@nestjs/terminus']).toBe('^11.0.0 || ^12.0.0');
    expect(pkg.peerDependenciesMeta['@nestjs/terminus']).toEqual({ optional: true });
    expect(pkg.exports['./health']).toEqual({ types: './dist/lib/health/index.d.ts', default: './dist/lib/health/index.js' });
  });
});
