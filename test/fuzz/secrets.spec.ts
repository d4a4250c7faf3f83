import fc, { type Arbitrary } from 'fast-check';
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

async function expectNoLeak(harness: ReturnType<typeof fuzzAnalytics>, secrets: readonly Secret[]): Promise<void> {
  const { payloads, drops } = await harness.settle();
  expect(leaks(payloads.join('\n'), secrets)).toEqual([]);
  expect(leaks(drops.map((d) => d.detail ?? '').join('\n'), secrets)).toEqual([]);
  expect(leaks(harness.logger.lines.splice(0).join('\n'), secrets)).toEqual([]);
  expect(leaks(harness.errors.splice(0).map((e) => `${e.message}\n${e.stack}`).join('\n'), secrets)).toEqual([]);
}

describe('secrets never reach a payload or the log', () => {
  it(`track() and sendEvent(), secrets anywhere in the name and properties, the write key included (${FUZZ_RUNS} runs)`, async () => {
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
            await expectNoLeak(harness, [...all.map((e) => e.secret), userEmail]);
          } finally {
            await harness.analytics.shutdown();
          }
        },
      ),
      fuzzParameters(),
    );
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
            await expectNoLeak(harness, [...secrets, bearer, query, email, keySecret]);
          },
        ),
        fuzzParameters(),
      );
    } finally {
      await harness.analytics.shutdown();
    }
  });
});
