import type { DeliveryError } from '../../../lib/transports/delivery-error.js';
import type { JitsuTransport } from '../../../lib/transports/jitsu/jitsu.transport.js';
import type { QueuedEvent } from '../../../lib/transports/transport.interface.js';
import { until } from '../../support/until.js';
import { batchOf, expectNoSecrets, failureOf, useFakeJitsu } from './transport-harness.js';

/**
 * 200s that never arrive whole. The transport must not take a batch as delivered on a status line
 * alone: a cut body is a network error, and a body that crawls or never comes ends at
 * requestTimeoutMs — the whole request's deadline, not only undici's idle timeouts between bytes.
 * The pipeline retries these (retryable); that delivery is covered in jitsu-delivery.e2e-spec.ts.
 */
describe('Jitsu transport: a 200 whose body is cut, crawls or never comes', () => {
  const harness = useFakeJitsu();
  const signal = new AbortController().signal;
  const TIMEOUT_MS = 300;
  /** Far beyond TIMEOUT_MS, well within Jest's: a send still pending by then hangs. */
  const GIVE_UP_BY_MS = 3_000;

  /** The failure of a send, which must settle on its own (no hang past the transport's deadline). */
  async function settledFailure(sending: Promise<unknown>): Promise<DeliveryError> {
    let settled = false;
    const failure = failureOf(sending);
    // Handles a rejection too, so a send that wrongly succeeds fails the test, not the file.
    const markSettled = (): void => {
      settled = true;
    };
    failure.then(markSettled, markSettled);
    await until(() => settled, 'the send to settle', GIVE_UP_BY_MS);
    return failure;
  }

  /** The same batch sent again is delivered once: the failed attempt left the transport usable. */
  async function expectResendDelivered(jitsu: JitsuTransport, batch: QueuedEvent[]): Promise<void> {
    expect(await jitsu.send(batch, signal)).toEqual({});
    const ids = batch.map((event) => event.messageId);
    expect(harness.fake.count()).toBe(ids.length);
    expect(harness.fake.acceptedIds()).toEqual(new Set(ids));
  }

  it.each(['content-length', 'chunked'] as const)(
    'a body cut off mid-way (%s): a retryable network error, not a delivery',
    async (framing) => {
      const { fake } = harness;
      const jitsu = harness.transport();
      const batch = batchOf(3);
      fake.cutBodyNext(1, framing);

      const error = await settledFailure(jitsu.send(batch, signal));

      expect(error).toMatchObject({ retryable: true, status: undefined });
      expect(error.message).toContain(fake.url);
      expect(error.message).toContain('socket closed by the server (UND_ERR_SOCKET)');
      expectNoSecrets(error, [fake.writeKey]);
      expect(fake.requests.map((r) => [r.outcome, r.status])).toEqual([['cut-body', 200]]);
      await expectResendDelivered(jitsu, batch);
    },
  );

  it('a body that trickles in past requestTimeoutMs: the deadline ends it, retryable', async () => {
    const { fake } = harness;
    const jitsu = harness.transport({ requestTimeoutMs: TIMEOUT_MS });
    const batch = batchOf(3);
    // ~45 bytes at 40 ms: every gap is far below undici's body timeout, the whole far above the deadline.
    fake.trickleNext(1, 40);

    const error = await settledFailure(jitsu.send(batch, signal));

    expect(error).toMatchObject({ retryable: true, status: undefined });
    expect(error.message).toContain(`request timed out after ${TIMEOUT_MS} ms`);
    expect(fake.requests.map((r) => r.outcome)).toEqual(['trickle']);
    await expectResendDelivered(jitsu, batch);
  });

  it('headers and then nothing: a retryable timeout within the deadline', async () => {
    const { fake } = harness;
    const jitsu = harness.transport({ requestTimeoutMs: TIMEOUT_MS });
    const batch = batchOf(3);
    fake.hangAfterHeadersNext(1);

    const error = await settledFailure(jitsu.send(batch, signal));

    expect(error).toMatchObject({ retryable: true, status: undefined });
    // The request deadline and undici's body timeout share the value; whichever fires first is right.
    expect(error.message).toMatch(new RegExp(`request timed out after ${TIMEOUT_MS} ms|UND_ERR_BODY_TIMEOUT`));
    expect(fake.requests.map((r) => r.outcome)).toEqual(['hang-after-headers']);
    await expectResendDelivered(jitsu, batch);
  });

  // Without a length or chunks, the cut half arrives as a whole body: a JSON object that does not
  // parse is taken for a cut answer and sent again, not for another service's ("check jitsuUrl").
  it('a close-delimited body cut off mid-way: retryable, not dropped as rejected', async () => {
    const { fake } = harness;
    const jitsu = harness.transport();
    const batch = batchOf(3);
    fake.cutBodyNext(1, 'close-delimited');

    const error = await settledFailure(jitsu.send(batch, signal));

    expect(error).toMatchObject({ retryable: true, status: 200, dropReason: 'retries_exhausted' });
    expect(error.message).toContain('was cut short');
    expectNoSecrets(error, [fake.writeKey]);
    await expectResendDelivered(jitsu, batch);
  });
});
