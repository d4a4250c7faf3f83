import { Logger } from '@nestjs/common';
import { type AddressInfo, connect, createServer } from 'node:net';
import { resolveOptions } from '../../lib/analytics-options.resolver.js';
import { DeliveryError } from '../../lib/transports/delivery-error.js';
import { resolveTransport } from '../../lib/transports/resolve-transport.js';
import { type WarehouseTransport, createWarehouseTransport } from '../../lib/transports/warehouse/warehouse.transport.js';
import { startPostgres } from '../support/postgres.js';
import { sampleEvent, toQueuedEvent } from '../support/sample-events.js';
import { trackedSockets } from '../support/tracked-sockets.js';
import { until } from '../support/until.js';
import { outcomeWithin, postgresFixture } from './postgres-fixture.js';

// The one cluster of this file, started at module load (registration needs to know whether it
// exists) and stopped in afterAll.
const server = await startPostgres();
afterAll(async () => server?.stop());

const signal = () => new AbortController().signal;
const { withClient, freshUrl, count, statementWaitingOnLock, whileLocked } = postgresFixture(server);

/** The failure of a send its signal ended: retryable, and saying that nothing was committed. */
function expectAborted(failure: unknown): void {
  expect(failure).toBeInstanceOf(DeliveryError);
  expect(failure).toMatchObject({ name: 'DeliveryError', retryable: true });
  expect((failure as Error).message).toMatch(/aborted.*not committed/);
}

/**
 * Closes the transport, giving up after 2 s: close() waits for sends under way, and a send that
 * never settles (the failure some of these tests look for) must not hold the test until Jest's
 * timeout, nor mask the assertion that found it.
 */
const closeBounded = (transport: WarehouseTransport) => outcomeWithin(2_000, transport.close());

/** A TCP relay to the server that holds each connection, unanswered, until `open()`. */
async function gatedProxy(targetPort: number) {
  const held: Array<() => void> = [];
  const sockets = trackedSockets();
  let opened = false;
  const server = createServer((client) => {
    sockets.add(client);
    const relay = () => {
      const upstream = connect(targetPort, '127.0.0.1');
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
    };
    if (opened) relay();
    else held.push(relay);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    held: () => held.length,
    open(): void {
      opened = true;
      for (const relay of held.splice(0)) relay();
    },
    close(): Promise<void> {
      sockets.destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

if (server) {
  describe('PostgreSQL: a send whose signal aborts', () => {
    // The pipeline aborts at the shutdown deadline; a statement left waiting (a lock, a stalled
    // server) would otherwise hold close() and, through its socket, the process itself. The
    // statement timeout is a minute, so only the abort can end the wait within the bound.
    it('abandons a statement held by a lock at once, never commits it, and close() does not wait for the lock', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url, requestTimeoutMs: 60_000 });
      let closed = false;
      await withClient(url, async (locker) => {
        try {
          expect(await transport.send([toQueuedEvent(sampleEvent('payment', 0))], signal())).toEqual({});
          await locker.query('BEGIN');
          await locker.query('LOCK TABLE payment_events IN ACCESS EXCLUSIVE MODE');
          const abort = new AbortController();
          const sending = transport.send([toQueuedEvent(sampleEvent('payment', 1))], abort.signal);
          sending.catch(() => undefined);
          await statementWaitingOnLock(url, 'INSERT');
          abort.abort();
          const failure = await outcomeWithin(2_000, sending);
          expectAborted(failure);
          expect(await closeBounded(transport)).toBeUndefined();
          closed = true;
        } finally {
          await locker.query('ROLLBACK');
          if (!closed) await closeBounded(transport);
        }
      });
      // The abandoned insert never committed, not even once the lock was gone.
      expect(await count(url, 'payment_events')).toBe(1);
    });

    // Aborted before the dialect asks the pool for a client: it must not take one (nothing would
    // ever give it back, and the send would never settle).
    it('fails at once, retryably, when aborted right after it starts on a table already prepared, and inserts nothing', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url, requestTimeoutMs: 60_000 });
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('payment', 0))], signal())).toEqual({});
        const batch = [toQueuedEvent(sampleEvent('payment', 1))];
        const abort = new AbortController();
        const sending = transport.send(batch, abort.signal);
        abort.abort();
        const failure = await outcomeWithin(2_000, sending);
        expectAborted(failure);
        expect(await count(url, 'payment_events')).toBe(1);
        // No client was lost to the aborted send: the retry lands, once.
        expect(await transport.send(batch, signal())).toEqual({});
        expect(await count(url, 'payment_events')).toBe(2);
      } finally {
        await closeBounded(transport);
      }
    });

    // The client asked for arrives after the send gave up on it: it must go back to the pool, or
    // the pool never ends and close() (and with it the shutdown) waits for ever.
    it('gives back a connection that arrives after the send was aborted waiting for it: close() still completes', async () => {
      const gate = await gatedProxy(server!.port);
      const url = new URL(await freshUrl());
      url.port = String(gate.port);
      const transport = createWarehouseTransport({ url: url.toString(), requestTimeoutMs: 60_000 });
      try {
        const abort = new AbortController();
        const sending = transport.send([toQueuedEvent(sampleEvent('payment', 1))], abort.signal);
        sending.catch(() => undefined);
        await until(() => gate.held() > 0, 'the pool to ask for a connection');
        abort.abort();
        expectAborted(await outcomeWithin(2_000, sending));
        gate.open();
        expect(await closeBounded(transport)).toBeUndefined();
      } finally {
        await closeBounded(transport);
        await gate.close();
      }
    });

    it('fails at once, retryably, when aborted right after the first send starts, and creates no table', async () => {
      const url = await freshUrl();
      const transport = createWarehouseTransport({ url, requestTimeoutMs: 60_000 });
      try {
        const abort = new AbortController();
        const sending = transport.send([toQueuedEvent(sampleEvent('payment', 1))], abort.signal);
        abort.abort();
        const failure = await outcomeWithin(2_000, sending);
        expectAborted(failure);
        const table = await withClient(url, async (c) => (await c.query("SELECT to_regclass('payment_events') AS t")).rows[0].t);
        expect(table).toBeNull();
      } finally {
        await closeBounded(transport);
      }
    });
  });

  describe('PostgreSQL: the requestTimeout option', () => {
    // The default statement timeout is 10 s: a failure within 3 s can only come from the option.
    it('is the statement timeout of the warehouse transport resolveTransport builds', async () => {
      const url = await freshUrl();
      const options = resolveOptions({ destination: { type: 'warehouse', url }, requestTimeout: 300 });
      const transport = resolveTransport(options, new Logger('postgres-abort.spec')) as WarehouseTransport;
      const batch = [toQueuedEvent(sampleEvent('file', 1))];
      try {
        expect(await transport.send([toQueuedEvent(sampleEvent('file', 0))], signal())).toEqual({});
        await whileLocked(url, 'file_operation_events', async () => {
          const failure = await outcomeWithin(3_000, transport.send(batch, signal()));
          expect(failure).toBeInstanceOf(DeliveryError);
          expect(failure).toMatchObject({ retryable: true });
          expect((failure as Error).message).toMatch(/timeout/);
        });
        expect(await transport.send(batch, signal())).toEqual({});
        expect(await count(url, 'file_operation_events')).toBe(2);
      } finally {
        await transport.close();
      }
    });
  });
}
