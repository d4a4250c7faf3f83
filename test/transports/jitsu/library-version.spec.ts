import { readFile } from 'node:fs/promises';
import { LIBRARY_VERSION, USER_AGENT } from '../../../lib/transports/jitsu/library-version.js';

describe('library version', () => {
  it("is package.json's version, so the User-Agent and events name the release that sent them", async () => {
    const manifest = JSON.parse(await readFile(new URL('../../../package.json', import.meta.url), 'utf8'));
    expect(LIBRARY_VERSION).toBe(manifest.version);
    expect(USER_AGENT).toBe(`nestjs-jitsu-analytics/${manifest.version}`);
  });
});
