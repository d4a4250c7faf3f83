import { statusOfGrpcError } from '../grpc-calls.js';
import type { ContextParser } from './call-description.js';
import { patternText } from './call-description.js';

type RpcTransportContext = {
  getPattern?: () => unknown;
  getSubject?: () => unknown;
  getTopic?: () => unknown;
  getChannel?: () => unknown;
};

/**
 * Microservice handlers. The concrete pattern comes from the transport's context (TCP/RMQ
 * `getPattern`, NATS `getSubject`, Kafka/MQTT `getTopic`, Redis `getChannel`); the route is the
 * pattern the handler declares (`@MessagePattern`, `@EventPattern`), so wildcard subjects stay one
 * route. A gRPC method is named `Service/Method`, and its errors' gRPC codes read as HTTP statuses.
 */
export const parseRpcContext: ContextParser = (context, handler) => {
  const transport = context.switchToRpc().getContext() as RpcTransportContext | null | undefined;
  const concrete = patternText(readPattern(transport));
  const route = handler.declaredPattern ?? concrete;
  const call = { method: 'RPC', path: concrete ?? route ?? handler.name ?? 'unknown', route, standalone: true };
  return handler.grpc ? { ...call, statusOfError: statusOfGrpcError } : call;
};

function readPattern(transport: RpcTransportContext | null | undefined): unknown {
  if (typeof transport !== 'object' || transport === null) return undefined;
  for (const read of [transport.getPattern, transport.getSubject, transport.getTopic, transport.getChannel]) {
    if (typeof read === 'function') return read.call(transport);
  }
  return undefined;
}
