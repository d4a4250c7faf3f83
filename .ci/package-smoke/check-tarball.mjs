// What `npm pack` puts in the tarball, checked file by file: only what an installed package uses,
// no tests, every source map's sources present, every `exports`/`typesVersions` target present,
// and every package the code imports (statically or with `import()`) declared in `dependencies`
// or `peerDependencies`: strict installers (pnpm, Yarn PnP) hide undeclared ones from the package.
import { execFileSync } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';

const ALLOWED = [/^package\.json$/, /^README\.md$/, /^LICENSE$/, /^dist\/lib\//, /^lib\//, /^jitsu\//];
const TEST_FILE = /(^|\/)(test|tests|__tests__|__mocks__)\/|\.(spec|e2e-spec|test)\.[cm]?[jt]s$/;
const IMPORTS = [/\b(?:import|export)\s[^'"]*?\bfrom\s*['"]([^'"]+)['"]/g, /\bimport\s*['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];

const dir = mkdtempSync(join(tmpdir(), 'package-contents-'));
try {
  execFileSync('tar', ['-xzf', process.argv[2], '-C', dir]);
  const root = join(dir, 'package');
  const files = walk(root).map((file) => relative(root, file).split('\\').join('/'));
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const problems = [
    ...files.filter((f) => !ALLOWED.some((p) => p.test(f))).map((f) => `${f}: not part of what the package needs`),
    ...files.filter((f) => TEST_FILE.test(f)).map((f) => `${f}: a test file`),
    ...files.filter((f) => f.endsWith('.map')).flatMap((f) => missingSources(root, f, files)),
    ...files.filter((f) => f.endsWith('.js')).flatMap((f) => missingMap(root, f, files)),
    ...targets(manifest).filter((t) => !files.includes(posix.normalize(t))).map((t) => `package.json names ${t}, which is not in the tarball`),
    ...files.filter((f) => f.startsWith('dist/lib/') && f.endsWith('.js')).flatMap((f) => undeclaredImports(root, f, manifest)),
  ];
  if (problems.length > 0) {
    console.error(`package contents: ${problems.length} problem(s)\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    process.exit(1);
  }
  console.log(`package contents: ${files.length} files, all needed, every map and import resolvable`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function walk(path) {
  return statSync(path).isDirectory() ? readdirSync(path).flatMap((name) => walk(join(path, name))) : [path];
}

function missingSources(root, map, files) {
  const { sources = [] } = JSON.parse(readFileSync(join(root, map), 'utf8'));
  return sources.map((s) => posix.join(posix.dirname(map), s)).filter((s) => !files.includes(s)).map((s) => `${map}: its source ${s} is not in the tarball`);
}

function missingMap(root, file, files) {
  const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, file), 'utf8'))?.[1];
  if (url === undefined || url.startsWith('data:')) return [];
  const map = posix.join(posix.dirname(file), url);
  return files.includes(map) ? [] : [`${file}: points at ${map}, which is not in the tarball`];
}

function targets(manifest) {
  const out = [manifest.main, manifest.types];
  const collect = (value) => (typeof value === 'string' ? out.push(value) : Object.values(value ?? {}).forEach(collect));
  collect(manifest.exports);
  collect(manifest.typesVersions);
  return out.filter((t) => typeof t === 'string').map((t) => t.replace(/^\.\//, ''));
}

function undeclaredImports(root, file, manifest) {
  const declared = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);
  const text = readFileSync(join(root, file), 'utf8');
  const specifiers = IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
  return specifiers
    .filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map((s) => ({ s, name: s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0] }))
    .filter(({ name }) => !declared.has(name) && name !== manifest.name)
    .map(({ s, name }) => `${file}: imports ${s}, but ${name} is neither a dependency nor a peer dependency`);
}
