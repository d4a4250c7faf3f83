import { readFileSync } from 'node:fs';
import { EVENT_CATALOG } from '../../lib/events/event-catalog.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README's Tables section is what users write their warehouse queries against. */
describe("README's Tables section", () => {
  it.each(EVENT_CATALOG.map((spec) => [spec.event, spec] as const))('lists %s with its action, table and every field, in order', (_event, spec) => {
    const fields = Object.keys(spec.fields).map((f) => `\`${f}\``).join(', ');
    expect(README).toContain(`| \`${spec.event}\` | \`${spec.action}\` | \`${spec.table}\` | ${fields} |`);
  });
});
