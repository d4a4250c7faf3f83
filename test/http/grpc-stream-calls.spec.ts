import { EventEmitter } from 'node:events';
import { RequestContext } from '../../lib/context/request-context.js';
import type { ApiTracker } from '../../lib/http/api-tracker.js';
import { followGrpcStream } from '../../lib/http/grpc-stream-calls.js';
import type { NonHttpCall } from '../../lib/http/non-http-calls.js';

/** A tracker that records nothing (API calls and errors off): these tests look at the call's arguments and listeners. */
const requestContext = new RequestContext();
const tracker = { settings: { apiEnabled: false, errorsEnabled: false }, guard: (run: () => void) => run(), core: { requestContext } } as unknown as ApiTracker;
const newCall = (grpcStreaming: 'rx' | 'pt' = 'pt') => ({ handler: { skip: false, grpcStreaming }, hasError: false, facts: { requestId: 'r1' }, description: { method: 'RPC', path: 'S/M', standalone: true } }) as unknown as NonHttpCall;

describe('followGrpcStream', () => {
  it('leaves arguments that are not a grpc-js call alone, for the call to be timed as any other', () => {
    const args = [{ id: 1 }, () => undefined];
    const before = [...args];
    expect(followGrpcStream(tracker, newCall(), args)).toBeUndefined();
    expect(args).toEqual(before);
  });

  it("hands the handler a callback that answers with the same arguments and returns the original's result", () => {
    const answers: unknown[][] = [];
    const respond = function (this: unknown, ...args: unknown[]) {
      answers.push([this, ...args]);
      return 'sent';
    };
    const args: unknown[] = [new EventEmitter(), respond];
    const call = newCall();
    expect(followGrpcStream(tracker, call, args)).toEqual(expect.any(Function));
    expect(args[1]).not.toBe(respond);
    const self = { server: true };
    expect((args[1] as (...a: unknown[]) => unknown).call(self, { code: 3, details: 'bad' }, undefined, 'trailer')).toBe('sent');
    expect(answers).toEqual([[self, { code: 3, details: 'bad' }, undefined, 'trailer']]);
    expect(call).toMatchObject({ hasError: true, error: { code: 3, details: 'bad' } });
  });

  it('counts neither no error nor an OK status passed to the callback as a failure', () => {
    for (const answer of [null, undefined, { code: 0, details: 'OK' }]) {
      const args: unknown[] = [new EventEmitter(), () => undefined];
      const call = newCall();
      followGrpcStream(tracker, call, args);
      (args[1] as (error: unknown) => void)(answer);
      expect(call.hasError).toBe(false);
    }
  });

  it('adds no error listener to a stream that had none: an error nobody handles still surfaces', () => {
    const stream = new EventEmitter();
    followGrpcStream(tracker, newCall(), [stream]);
    expect(stream.listenerCount('error')).toBe(0);
    expect(() => stream.emit('error', new Error('unhandled'))).toThrow('unhandled');
  });

  it('marks a call the client cancels as 499 and stops listening once the call is over', () => {
    const stream = new EventEmitter();
    stream.on('error', () => undefined);
    const call = newCall();
    followGrpcStream(tracker, call, [stream]);
    expect(stream.listenerCount('finish')).toBe(1);
    stream.emit('cancelled', 'cancelled');
    expect(call.statusCode).toBe(499);
    expect(['cancelled', 'finish', 'close'].map((e) => stream.listenerCount(e))).toEqual([0, 0, 0]);
    expect(stream.listenerCount('error')).toBe(1);
  });

  it("emits the stream's events in the call's context, so the handler's listeners track events tied to the call", () => {
    const stream = new EventEmitter();
    const call = newCall();
    followGrpcStream(tracker, call, [stream]);
    const seen: unknown[] = [];
    stream.on('data', (message) => seen.push([message, requestContext.get()]));
    expect(stream.emit('data', { id: 1 })).toBe(true);
    expect(seen).toEqual([[{ id: 1 }, call.facts]]);
    expect(requestContext.get()).toBeUndefined();
  });

  it("for @GrpcStreamMethod, emits the call object's events (what Nest feeds the handler's Observable from) in the call's context, and follows nothing else", () => {
    const grpcCall = new EventEmitter();
    const call = newCall('rx');
    const args: unknown[] = [{ subscribe: () => undefined }, {}, grpcCall];
    expect(followGrpcStream(tracker, call, args)).toBeUndefined();
    const seen: unknown[] = [];
    grpcCall.on('data', () => seen.push(requestContext.get()));
    grpcCall.emit('data', { id: 2 });
    expect(seen).toEqual([call.facts]);
    expect(['finish', 'close', 'cancelled'].map((e) => grpcCall.listenerCount(e))).toEqual([0, 0, 0]);
  });
});
