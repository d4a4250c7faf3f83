import fc, { type Arbitrary } from 'fast-check';
import type { DropReason } from '../../lib/pipeline/analytics-stats.interface.js';
import { fuzzAnalytics } from './support/capture.js';
import { FUZZ_RUNS, fuzzParameters } from './support/fuzz-parameters.js';
import {
  anySecret,
  bearerToken,
  emailAddress,
  filler,
  leaks,
  passwordInQuery,
  SENSITIVE_KEYS,
  writeKey,
  writeKeySecrets,
  type Secret,
} from './support/secrets.js';

/**
 * Secrets placed wherever a caller may put them — under sensitive keys, inside free text, nested,
 * in Maps, Errors and object keys, in event names and ids, in the arguments of every track*
 * method, and the configured write key itself — never reach a payload, nor the debug log.
 */
const PLACEMENTS = ['sensitiveKey', 'freeText', 'nested', 'array', 'map', 'error', 'objectKey', 'eventName'] as const;
type Placement = (typeof PLACEMENTS)[number];

interface Embedding {
  secret: Secret;
  placement: Placement;
  key: string;
  before: string;
  after: string;
}

const placement = fc.record({
  placement: fc.constantFrom(...PLACEMENTS),
  key: fc.constantFrom(...SENSITIVE_KEYS),
  before: filler,
  after: filler,
});

const embedding = (secret: Arbitrary<Secret>): Arbitrary<Embedding> =>
  fc.tuple(secret, placement).map(([s, p]) => ({ secret: s, ...p }));

/** Builds the event name and properties of one track() call holding every embedding. */
function embed(embeddings: readonly Embedding[]): { name: string; properties: Record<string, unknown> } {
  const properties: Record<string, unknown> = { plan: 'pro' };
  const nameParts = ['Checkout'];
  embeddings.forEach(({ secret, placement: where, key, before, after }, i) => {
    const text = `${before} ${secret.text} ${after}`;
    switch (where) {
      case 'sensitiveKey':
        properties[key] = secret.kind === 'card' && /^\d+$/.test(secret.text) && i % 2 === 0 ? Number(secret.text) : secret.text;
        break;
      case 'freeText':
        properties[`note_${i}`] = text;
        break;
      case 'nested':
        properties[`nested_${i}`] = { deeper: { list: [{ text }] } };
        break;
      case 'array':
        properties[`items_${i}`] = ['first', text, 3];
        break;
      case 'map':
        properties[`map_${i}`] = new Map<unknown, unknown>([['value', text], [text, 'as a key']]);
        break;
      case 'error':
        properties[`error_${i}`] = new Error(text);
        break;
      case 'objectKey':
        properties[`keyed_${i}`] = { [text]: true };
        break;
      case 'eventName':
        nameParts.push(secret.text);
        break;
    }
  });
  return { name: nameParts.join(' '), properties };
}

/** Jitsu's limit on a track event's name, which the library applies before queueing (lib/analytics-core.ts). */
const MAX_EVENT_NAME_LENGTH = 128;

/**
 * Checks that nothing leaked, after checking that every offered event was sent: a dropped event
 * leaks nothing, so without the count a pipeline that dropped events holding secrets would pass.
 * Returns the payloads.
 */
async function expectNoLeak(
  harness: ReturnType<typeof fuzzAnalytics>,
  secrets: readonly Secret[],
  expectedPayloads: number,
  expectedDrops: readonly DropReason[] = [],
): Promise<string[]> {
  const { payloads, droppedCount, drops } = await harness.settle();
  expect(drops.map((d) => d.reason)).toEqual(expectedDrops);
  expect(droppedCount).toBe(expectedDrops.length);
  expect(payloads).toHaveLength(expectedPayloads);
  expect(leaks(payloads.join('\n'), secrets)).toEqual([]);
  expect(leaks(drops.map((d) => d.detail ?? '').join('\n'), secrets)).toEqual([]);
  expect(leaks(harness.logger.lines.splice(0).join('\n'), secrets)).toEqual([]);
  expect(leaks(harness.errors.splice(0).map((e) => `${e.message}\n${e.stack}`).join('\n'), secrets)).toEqual([]);
  return payloads;
}

/** What the second property's calls record: each failed query and failed call also records a Backend Error. */
const TRACK_METHOD_EVENTS = [
  'User Authentication',
  'Payment Processing',
  'Database Query',
  'Backend Error',
  'Email Send',
  'File Operation',
  'External API Call',
  'Backend Error',
  'Backend Error',
];

describe('secrets never reach a payload or the log', () => {
  it(`track() and sendEvent(), secrets anywhere in the name and properties, the write key included (${FUZZ_RUNS} runs)`, async () => {
    let sentRuns = 0;
    await fc.assert(
      fc.asyncProperty(
        writeKey,
        fc.array(embedding(anySecret), { minLength: 1, maxLength: 4 }),
        fc.array(placement, { minLength: 3, maxLength: 3 }),
        emailAddress,
        async (key, embeddings, keyPlacements, userEmail) => {
          const keySecrets = writeKeySecrets(key);
          const all = [...embeddings, ...keySecrets.map((secret, i) => ({ secret, ...keyPlacements[i]! }))];
          const harness = fuzzAnalytics({ writeKey: key.key, debug: true });
          try {
            const { name, properties } = embed(all);
            harness.analytics.track(name, properties, { userId: userEmail.text, anonymousId: `anon ${key.secret}` });
            await harness.analytics.sendEvent(name, properties);
            // One event from track(), one from sendEvent(); an event name longer than Jitsu accepts
            // is refused before anything is queued, both times, with a reason that quotes nothing.
            const tooLong = name.length > MAX_EVENT_NAME_LENGTH;
            await expectNoLeak(harness, [...all.map((e) => e.secret), userEmail], tooLong ? 0 : 2, tooLong ? ['invalid_event', 'invalid_event'] : []);
            if (!tooLong) sentRuns++;
          } finally {
            await harness.analytics.shutdown();
          }
        },
      ),
      fuzzParameters(),
    );
    // Most runs must have reached the payload checks: a generator whose names were all too long would prove nothing.
    expect(sentRuns).toBeGreaterThan(FUZZ_RUNS / 2);
  });

  it(`every track* method, secrets in its string arguments and extras (${FUZZ_RUNS} runs)`, async () => {
    const harness = fuzzAnalytics({ writeKey: 'fuzzKeyId:fuzzWriteKeySecret0123456789', debug: true });
    const keySecret: Secret = { kind: 'writeKey', text: 'fuzzKeyId:fuzzWriteKeySecret0123456789', forbidden: ['fuzzWriteKeySecret0123456789'] };
    try {
      await fc.assert(
        fc.asyncProperty(
          fc.array(anySecret, { minLength: 6, maxLength: 6 }),
          bearerToken,
          passwordInQuery,
          emailAddress,
          filler,
          async (secrets, bearer, query, email, around) => {
            const [a, b, c, d, e, f] = secrets.map((s) => `${around} ${s.text} ${around}`) as [string, string, string, string, string, string];
            const s = harness.analytics;
            await s.trackUserAuth('login', email.text, false, { failureReason: a, method: b, password: query.text });
            await s.trackPayment('charge', 10, 'usd', false, { provider: c, card: d, note: e });
            await s.trackDbQuery(`SELECT * FROM users WHERE email = '${email.text}' AND note = '${f}'`, 3, false, { error: new Error(`duplicate key ${a}`), errorCode: b });
            await s.trackEmailSend(email.text, `welcome ${c}`, false, { provider: d, error: e });
            await s.trackFileOperation('upload', `image/png ${f}`, 10, true, { path: `/uploads/${a}` });
            await s.trackExternalApiCall('stripe', `/v1/charges?${query.text}`, 5, false, { method: 'POST', response: `${bearer.text} ${b}` });
            await s.trackApiError(new Error(`upstream said ${bearer.text} ${keySecret.text}`), { method: 'POST', url: `/login?${query.text}` });
            s.recordError('custom', { name: `Boom ${c}`, message: `${d} ${keySecret.text}` });
            const payloads = await expectNoLeak(harness, [...secrets, bearer, query, email, keySecret], TRACK_METHOD_EVENTS.length);
            expect(payloads.map((p) => (JSON.parse(p) as { event: string }).event)).toEqual(TRACK_METHOD_EVENTS);
          },
        ),
        fuzzParameters(),
      );
    } finally {
      await harness.analytics.shutdown();
    }
  });
});
