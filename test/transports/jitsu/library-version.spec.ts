import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { findPackageVersion, LIBRARY_VERSION, USER_AGENT } from '../../../lib/transports/jitsu/library-version.js';

describe('library version', () => {
  let root: string;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'jitsu-version-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'nestjs-jitsu-analytics', version: '9.8.7' }));
    mkdirSync(join(root, 'dist', 'lib', 'transports', 'jitsu'), { recursive: true });
    // A nearer package.json of another package must be skipped.
    writeFileSync(join(root, 'dist', 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(root, 'dist', 'lib', 'package.json'), '{not json');
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('walks up from a compiled file to the package root', () => {
    const file = pathToFileURL(join(root, 'dist', 'lib', 'transports', 'jitsu', 'library-version.js'));
    expect(findPackageVersion(file)).toBe('9.8.7');
  });

  it('returns undefined when no package.json of that name exists', () => {
    const file = pathToFileURL(join(root, 'dist', 'lib', 'x.js'));
    expect(findPackageVersion(file, 'some-other-package')).toBeUndefined();
  });

  it("reads this repository's version for the User-Agent", async () => {
    const { readFile } = await import('node:fs/promises');
    const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(LIBRARY_VERSION).toBe(manifest.version);
    expect(USER_AGENT).toBe(`nestjs-jitsu-analytics/${manifest.version}`);
  });
});
