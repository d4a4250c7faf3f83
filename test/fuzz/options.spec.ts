import fc, { type Arbitrary } from 'fast-check';
import { AnalyticsConfigError } from '../../lib/analytics-config.error.js';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import type { JitsuAnalyticsOptions } from '../../lib/analytics.options.js';
import { FUZZ_RUNS, fuzzParameters } from './support/fuzz-parameters.js';
import { hostileValue, materialize, Recipe } from './support/hostile-values.js';
import { writeKey } from './support/secrets.js';

/**
 * `resolveOptions` on arbitrary input: it returns resolved options or throws an
 * `AnalyticsConfigError`, never another error, and its message never contains the write key's
 * secret, wherever the caller put it (a mix-up of environment variables puts the key into
 * jitsuUrl, protocol or a table name just as easily as into writeKey).
 */
const TEXT_OPTIONS = ['jitsuUrl', 'protocol', 'overflow', 'ipPolicy', 'destination', 'batchSize', 'enabled', 'debug', 'serviceName', 'tableCustom', 'warehouseUrl', 'retryMaxAttempts', 'redactMaxStringLength'] as const;
type TextOption = (typeof TEXT_OPTIONS)[number];

const value = (...sensible: Arbitrary<unknown>[]): Arbitrary<unknown> => fc.oneof({ weight: 3, arbitrary: fc.oneof(...sensible) }, { weight: 1, arbitrary: hostileValue });
const count = value(fc.integer({ min: -5, max: 200_000 }), fc.constantFrom('10', ' 25 ', '1.5', '-1', 'abc', '', '1e3'), fc.double());
const flag = value(fc.boolean(), fc.constantFrom('true', 'FALSE', 'yes', '0', 'maybe', ''));

const options: Arbitrary<Record<string, unknown>> = fc.record(
  {
    jitsuUrl: value(fc.constantFrom('http://localhost:8080', 'https://jitsu.example.com/', 'ftp://x', 'not a url', ''), fc.webUrl()),
    enabled: flag,
    debug: flag,
    protocol: value(fc.constantFrom('next', 'classic', 'NEXT', '')),
    destination: value(
      fc.constantFrom('jitsu', 'memory', 'console', 'kafka', { type: 'memory' }, { type: 'console' }, { type: 'warehouse', url: 'mysql://x' }, { type: 'warehouse' }, { send: 'not a function' }),
    ),
    batchSize: count,
    batchTimeout: count,
    maxQueueSize: count,
    maxQueueBytes: count,
    overflow: value(fc.constantFrom('dropNewest', 'dropOldest', 'dropAll')),
    maxBatchBytes: count,
    maxBatchEvents: count,
    maxInFlight: count,
    retry: value(fc.record({ maxAttempts: count, initialDelayMs: count, maxDelayMs: count, maxElapsedMs: count }, { requiredKeys: [] })),
    requestTimeout: count,
    shutdownTimeout: count,
    gzipMinBytes: count,
    tables: value(fc.dictionary(fc.constantFrom('api', 'database', 'custom', 'payment', 'unknown_kind'), value(fc.constantFrom('events', '1bad', 'bad-name', '', 'x'.repeat(70))))),
    redact: value(fc.record({ keys: value(fc.array(fc.oneof(fc.string(), fc.constant(/card/i)))), maxStringLength: count }, { requiredKeys: [] })),
    ipPolicy: value(fc.constantFrom('keep', 'stripLastOctet', 'remove', 'hash')),
    serviceName: value(fc.string()),
    environment: value(fc.string()),
    beforeSend: value(fc.constant((e: unknown) => e), fc.constant('not a function')),
  },
  { requiredKeys: [] },
);

/** The write key as the caller wrote it: well formed, padded, with extra colons, or its secret alone. */
const keyAsWritten = (key: { keyId: string; secret: string; key: string }) =>
  fc.constantFrom(key.key, ` ${key.key} `, `${key.key}:extra`, key.secret, `${key.keyId} : ${key.secret}`, `Bearer ${key.key}`);

function place(input: Record<string, unknown>, where: TextOption, text: string): void {
  switch (where) {
    case 'tableCustom':
      input.tables = { api: 'api_events', custom: text };
      break;
    case 'warehouseUrl':
      input.destination = { type: 'warehouse', url: `postgres://app:${text}@db:5432/app` };
      break;
    case 'retryMaxAttempts':
      input.retry = { maxAttempts: text };
      break;
    case 'redactMaxStringLength':
      input.redact = { maxStringLength: text };
      break;
    default:
      input[where] = text;
  }
}

/** A whole input: options with the key in writeKey and maybe elsewhere, or something that is not options at all. */
const input = fc
  .tuple(writeKey, options, fc.option(fc.constantFrom(...TEXT_OPTIONS), { nil: undefined }), fc.nat())
  .chain(([key, fields, misplaced, n]) =>
    keyAsWritten(key).map((written) => ({
      secret: key.secret,
      options: new Recipe(`options(${fc.stringify(fields)}, writeKey ${JSON.stringify(written)}, also in ${String(misplaced)})`, () => {
        const built: Record<string, unknown> = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, materialize(v)]));
        built.writeKey = written;
        if (misplaced !== undefined) place(built, misplaced, n % 2 === 0 ? written : key.secret);
        return built;
      }),
    })),
  );

const notOptions = fc.tuple(writeKey, hostileValue).map(([key, v]) => ({ secret: key.secret, options: v }));

/** The first 10-character run of `secret` found in `text`, if any. */
function sharedRun(text: string, secret: string): string | undefined {
  for (let i = 0; i + 10 <= secret.length; i++) if (text.includes(secret.slice(i, i + 10))) return secret.slice(i, i + 10);
  return undefined;
}

function outcome(raw: unknown): 'resolved' | AnalyticsConfigError {
  try {
    resolveOptions(raw as JitsuAnalyticsOptions);
    return 'resolved';
  } catch (error) {
    if (error instanceof AnalyticsConfigError) return error;
    throw new Error(`resolveOptions threw ${(error as Error)?.name}, not AnalyticsConfigError: ${(error as Error)?.message}`);
  }
}

describe('resolveOptions on arbitrary input', () => {
  it(`returns or throws AnalyticsConfigError, whose message never holds the write key's secret (${FUZZ_RUNS} runs)`, () => {
    const seen = { resolved: 0, rejected: 0 };
    fc.assert(
      fc.property(fc.oneof({ weight: 5, arbitrary: input }, { weight: 1, arbitrary: notOptions }), ({ secret, options: raw }) => {
        const result = outcome(materialize(raw));
        if (result === 'resolved') return void seen.resolved++;
        seen.rejected++;
        // Not even a part of it: quoted values are cut short, which must not leave the start of the secret behind.
        for (const text of [result.message, String(result.stack), ...result.problems]) expect(sharedRun(text, secret)).toBeUndefined();
      }),
      fuzzParameters(),
    );
    // Both outcomes are exercised, or the property says little.
    expect(seen.resolved).toBeGreaterThan(20);
    expect(seen.rejected).toBeGreaterThan(20);
  });
});
