import { DeliveryError } from '../../../lib/transports/delivery-error.js';
import {
  createJitsuTransport,
  type JitsuTransport,
  type JitsuTransportOptions,
} from '../../../lib/transports/jitsu/jitsu.transport.js';
import type { QueuedEvent } from '../../../lib/transports/transport.interface.js';
import { FakeJitsuServer } from '../../fake-jitsu/fake-jitsu-server.js';
import { SAMPLE_KINDS, sampleEvent, toQueuedEvent } from '../../support/sample-events.js';

/** Events of every kind in turn, so a batch spans several tables. */
export function batchOf(count: number, offset = 0): QueuedEvent[] {
  return Array.from({ length: count }, (_, i) =>
    toQueuedEvent(sampleEvent(SAMPLE_KINDS[(offset + i) % SAMPLE_KINDS.length]!, offset + i)),
  );
}

/** The size of the uncompressed Next body for a batch. */
/** The Next batch body's size before gzip: each event also carries `,"sentAt":"<24-character ISO time>"`. */
export function rawSize(batch: readonly QueuedEvent[]): number {
  const sentAt = ',"sentAt":"2026-01-01T00:00:00.000Z"'.length;
  return Buffer.byteLength(`{"batch":[${batch.map((e) => e.json).join(',')}]}`) + batch.length * sentAt;
}

export async function failureOf(promise: Promise<unknown>): Promise<DeliveryError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DeliveryError) return error;
    throw new Error(`expected a DeliveryError, got ${String(error)}`);
  }
  throw new Error('expected the send to fail');
}

export function expectNoSecrets(error: Error, secrets: readonly string[]): void {
  const texts = [error.message, String(error), error.stack ?? '', JSON.stringify(error)];
  for (const secret of secrets) for (const text of texts) expect(text).not.toContain(secret);
}

export interface FakeJitsuHarness {
  readonly fake: FakeJitsuServer;
  /** A transport to the fake server, closed after the test. */
  transport(options?: Partial<JitsuTransportOptions>): JitsuTransport;
}

/**
 * One fake Jitsu server per spec file, reset between tests; every transport a test creates is
 * closed after it, so Jest exits with no open sockets.
 */
export function useFakeJitsu(): FakeJitsuHarness {
  let fake: FakeJitsuServer | undefined;
  const transports: JitsuTransport[] = [];

  beforeAll(async () => {
    fake = await FakeJitsuServer.start();
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    fake!.reset();
    if (fake!.isDown) await fake!.comeBack();
  });

  afterAll(async () => {
    await fake?.stop();
  });

  return {
    get fake() {
      if (!fake) throw new Error('the fake Jitsu server is not started yet');
      return fake;
    },
    transport(options = {}) {
      const created = createJitsuTransport({ jitsuUrl: this.fake.url, writeKey: this.fake.writeKey, ...options });
      transports.push(created);
      return created;
    },
  };
}
