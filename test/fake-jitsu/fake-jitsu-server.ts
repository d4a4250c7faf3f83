import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { IngestRecorder, type RecordedRequest } from './ingest-recorder.js';
import { IngestRequestHandler } from './ingest-request-handler.js';
import type { JsonObject } from './jitsu-protocol.js';
import { MisbehaviourScript, type BodyFraming, type FailureSpec } from './misbehaviour-script.js';

export type { AcceptedEvent, RecordedRequest, RequestOutcome } from './ingest-recorder.js';
export type { BodyFraming, FailureSpec } from './misbehaviour-script.js';

export interface FakeJitsuServerOptions {
  writeKey?: string;
  classicToken?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Jitsu drops a request whose body is not complete within 5 s; tests may shorten it. */
  bodyTimeoutMs?: number;
}

const HOST = '127.0.0.1';
const DEFAULT_WRITE_KEY = 'test-key-id:test-secret';
const DEFAULT_CLASSIC_TOKEN = 'test-classic-token';
const DEFAULT_BODY_TIMEOUT_MS = 5_000;
const COME_BACK_RETRY_FOR_MS = 2_000;
const COME_BACK_RETRY_EVERY_MS = 50;

/**
 * A real HTTP server on 127.0.0.1 speaking Jitsu's ingest protocol (DESIGN.md), recording what it
 * accepts and misbehaving as a test scripts it. See ingest-request-handler.ts for the order in
 * which scripted behaviour applies.
 */
export class FakeJitsuServer {
  readonly writeKey: string;
  readonly classicToken: string;
  private readonly recorder = new IngestRecorder();
  private readonly script = new MisbehaviourScript();
  private readonly handler: IngestRequestHandler;
  private readonly sockets = new Set<Socket>();
  private server: Server;
  private boundPort = 0;
  private down = true;
  private stopping: Promise<void> | undefined;
  private connections = 0;

  private constructor(options: FakeJitsuServerOptions) {
    const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
    if (!Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs <= 0) {
      throw new RangeError(`FakeJitsuServer: bodyTimeoutMs must be a positive number, got ${String(bodyTimeoutMs)}`);
    }
    this.writeKey = options.writeKey ?? DEFAULT_WRITE_KEY;
    this.classicToken = options.classicToken ?? DEFAULT_CLASSIC_TOKEN;
    this.handler = new IngestRequestHandler({
      recorder: this.recorder,
      script: this.script,
      writeKey: this.writeKey,
      classicToken: this.classicToken,
      bodyTimeoutMs,
    });
    this.server = this.createHttpServer();
  }

  static async start(options: FakeJitsuServerOptions = {}): Promise<FakeJitsuServer> {
    const fake = new FakeJitsuServer(options);
    await fake.listen(options.port ?? 0);
    return fake;
  }

  get url(): string {
    return `http://${HOST}:${this.boundPort}`;
  }

  get port(): number {
    return this.boundPort;
  }

  get isDown(): boolean {
    return this.down;
  }

  /** TCP connections accepted so far: proves (or disproves) keep-alive reuse. */
  get connectionsOpened(): number {
    return this.connections;
  }

  /** Requests whose body was read and whose answer is held back by setDelay(). */
  get delayedAnswers(): number {
    return this.handler.delayedAnswers;
  }

  get requests(): readonly RecordedRequest[] {
    return this.recorder.requests;
  }

  events(): JsonObject[] {
    return this.recorder.events();
  }

  acceptedIds(): Set<string> {
    return this.recorder.acceptedIds();
  }

  count(): number {
    return this.recorder.count();
  }

  duplicates(): number {
    return this.recorder.duplicates();
  }

  eventsFor(table: string): JsonObject[] {
    return this.recorder.eventsFor(table);
  }

  waitForCount(n: number, timeoutMs = 10_000): Promise<void> {
    return this.recorder.waitForCount(n, timeoutMs);
  }

  waitForRequests(n: number, timeoutMs = 10_000): Promise<void> {
    return this.recorder.waitForRequests(n, timeoutMs);
  }

  /**
   * The next `count` ingest requests that would be accepted are answered with `failure` instead,
   * recording none of their events. An invalid request (wrong key, content type or encoding,
   * unreadable body, malformed batch) still gets its real 4xx and does not use one up.
   */
  failNext(count: number, failure: FailureSpec): this {
    this.script.failNext(count, failure);
    return this;
  }

  /** Like `failNext`, with a TCP reset after the body is read instead of an answer. */
  resetNext(count: number): this {
    this.script.resetNext(count);
    return this;
  }

  /** Like `failNext`, with the real 200 headers, then half its body framed as `framing`, then a closed socket. */
  cutBodyNext(count: number, framing: BodyFraming = 'content-length'): this {
    this.script.cutBodyNext(count, framing);
    return this;
  }

  /** Like `failNext`, with the real 200 sent a byte every `byteEveryMs`: recorded if the client reads it all. */
  trickleNext(count: number, byteEveryMs: number): this {
    this.script.trickleNext(count, byteEveryMs);
    return this;
  }

  /** Like `failNext`, with the 200 headers and then silence until the client or stop() ends the socket. */
  hangAfterHeadersNext(count: number): this {
    this.script.hangAfterHeadersNext(count);
    return this;
  }

  rejectMessageIds(ids: Iterable<string>): this {
    this.script.rejectMessageIds(ids);
    return this;
  }

  /** The next receipt of each of these events is refused as throttled by Jitsu's quota (in a 200 ok:false); later ones are accepted. */
  throttleMessageIds(ids: Iterable<string>): this {
    this.script.throttleMessageIds(ids);
    return this;
  }

  setMaxBatchEvents(max: number | undefined): this {
    this.script.setMaxBatchEvents(max);
    return this;
  }

  setDelay(ms: number): this {
    this.script.setDelay(ms);
    return this;
  }

  /** Requests are read but never answered; stalled sockets stay open until the client or stop() ends them. */
  stall(): this {
    this.script.setStalled(true);
    return this;
  }

  unstall(): this {
    this.script.setStalled(false);
    return this;
  }

  reset(): this {
    this.handler.forgetInFlight();
    this.recorder.clear();
    this.script.clear();
    return this;
  }

  /** Closes the listener and drops every connection: new requests get "connection refused". */
  async goDown(): Promise<void> {
    if (this.down) return;
    this.down = true;
    await this.closeServer();
  }

  /** Listens again on the same port, retrying while the OS still holds it. */
  async comeBack(): Promise<void> {
    if (this.stopping !== undefined) throw new Error('FakeJitsuServer.comeBack: the server was stopped');
    if (!this.down) return;
    const deadline = Date.now() + COME_BACK_RETRY_FOR_MS;
    for (;;) {
      this.server = this.createHttpServer();
      try {
        await this.listen(this.boundPort);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE' || Date.now() >= deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, COME_BACK_RETRY_EVERY_MS));
      }
    }
  }

  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    this.recorder.rejectWaiters('FakeJitsuServer was stopped while a test was waiting on it');
    await this.goDown();
  }

  private createHttpServer(): Server {
    const server = createServer({ headersTimeout: 10_000, requestTimeout: 0 }, (req, res) => this.handler.handle(req, res));
    server.keepAliveTimeout = 5_000;
    server.on('connection', (socket) => {
      this.connections++;
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
    });
    return server;
  }

  private listen(port: number): Promise<void> {
    const server = this.server;
    return new Promise((resolve, reject) => {
      const onError = (error: Error): void => {
        server.off('listening', onListening);
        reject(error);
      };
      const onListening = (): void => {
        server.off('error', onError);
        this.boundPort = (server.address() as AddressInfo).port;
        this.down = false;
        resolve();
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen({ port, host: HOST });
    });
  }

  private closeServer(): Promise<void> {
    this.handler.cancelPending();
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    return closed;
  }
}
