import 'reflect-metadata';
import { HandlerFactsCache } from '../../lib/http/handler-facts.js';

const PATTERN = 'microservices:pattern';

class Base {
  inherited(): void {}
}

class OrdersController extends Base {
  find(): void {}
}

/** What `@GrpcStreamMethod()` does: the method is replaced by an anonymous function carrying its metadata. */
function replaceAnonymously(cls: { prototype: object }, key: string, streaming: string): () => void {
  const replaced = (() => function () {})();
  Object.defineProperty(cls.prototype, key, { value: replaced, writable: true, configurable: true });
  Reflect.defineMetadata(PATTERN, [{ service: 'OrdersService', rpc: key, streaming }], replaced);
  return replaced;
}

describe('HandlerFactsCache', () => {
  it('names a handler by its function, and one without a name by the key its class holds it under', () => {
    const facts = new HandlerFactsCache();
    expect(facts.get(OrdersController, OrdersController.prototype.find)).toMatchObject({ controller: 'OrdersController', name: 'find' });
    class Streams extends Base {}
    const tally = replaceAnonymously(Streams, 'tally', 'rx_stream');
    const inherited = replaceAnonymously(Base, 'relay', 'pt_stream');
    expect(tally.name).toBe('');
    expect(facts.get(Streams, tally)).toMatchObject({ controller: 'Streams', name: 'tally', grpc: true, grpcStreaming: 'rx', declaredPattern: 'OrdersService/tally' });
    expect(facts.get(Streams, inherited)).toMatchObject({ name: 'relay', grpcStreaming: 'pt' });
  });

  it('tells a single-request gRPC method from the streaming ones', () => {
    const facts = new HandlerFactsCache();
    class Unary {
      findOne(): void {}
    }
    Reflect.defineMetadata(PATTERN, [{ service: 'OrdersService', rpc: 'FindOne', streaming: 'no_stream' }], Unary.prototype.findOne);
    const unary = facts.get(Unary, Unary.prototype.findOne);
    expect(unary).toMatchObject({ grpc: true, name: 'findOne' });
    expect(unary.grpcStreaming).toBeUndefined();
  });

  it('leaves a handler unnamed, without throwing, when its class cannot be read', () => {
    const anonymous = (() => function () {})();
    const hostile = new Proxy(function Hostile() {}, {
      get(target, key) {
        if (key === 'prototype') return new Proxy({}, { ownKeys: () => { throw new Error('trap'); } });
        return Reflect.get(target, key);
      },
    });
    expect(new HandlerFactsCache().get(hostile, anonymous)).toMatchObject({ skip: false });
    expect(new HandlerFactsCache().get(hostile, anonymous).name).toBeUndefined();
  });
});
