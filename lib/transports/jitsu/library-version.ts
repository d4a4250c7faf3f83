import { readFileSync } from 'node:fs';

export const PACKAGE_NAME = 'nestjs-jitsu-analytics';

/**
 * The version in the nearest `package.json` named `packageName` above `fromUrl`. Sources run from
 * `lib/...` and the build from `dist/lib/...`, so the depth differs; walking up finds the package
 * root from either, and skips any other package.json on the way.
 */
export function findPackageVersion(fromUrl: string | URL, packageName: string = PACKAGE_NAME): string | undefined {
  let dir = new URL('./', fromUrl);
  for (;;) {
    const version = readVersion(new URL('package.json', dir), packageName);
    if (version !== undefined) return version;
    const parent = new URL('../', dir);
    if (parent.href === dir.href) return undefined;
    dir = parent;
  }
}

function readVersion(file: URL, packageName: string): string | undefined {
  try {
    const manifest: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof manifest !== 'object' || manifest === null) return undefined;
    const { name, version } = manifest as { name?: unknown; version?: unknown };
    return name === packageName && typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

/** Read once at module load: the User-Agent never changes while the process runs. */
export const LIBRARY_VERSION: string = findPackageVersion(import.meta.url) ?? '0.0.0';

export const USER_AGENT = `${PACKAGE_NAME}/${LIBRARY_VERSION}`;
