import { statusOfTransportError } from '../error-status.js';
import { grpcMethodOfCall, statusOfGrpcError } from '../grpc-calls.js';
import type { CallDescription, ContextParser } from './call-description.js';
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
 * The transport's context is one object per message (gRPC: the call's metadata): the call's key.
 */
export const parseRpcContext: ContextParser = (context, handler) => {
  const transport = context.switchToRpc().getContext() as RpcTransportContext | null | undefined;
  // An exception filter gets no handler: a gRPC call then names itself (its third argument).
  const grpcMethod = handler.declaredPattern === undefined ? grpcMethodOfCall(context.getArgByIndex(2)) : undefined;
  const concrete = grpcMethod ?? patternText(readPattern(transport));
  const route = handler.declaredPattern ?? concrete;
  const call: CallDescription = { method: 'RPC', path: concrete ?? route ?? handler.name ?? 'unknown', route, standalone: true };
  if (typeof transport === 'object' && transport !== null) call.callKey = transport;
  call.statusOfError = handler.grpc || grpcMethod !== undefined ? statusOfGrpcError : statusOfTransportError;
  return call;
};

function readPattern(transport: RpcTransportContext | null | undefined): unknown {
  if (typeof transport !== 'object' || transport === null) return undefined;
  for (const read of [transport.getPattern, transport.getSubject, transport.getTopic, transport.getChannel]) {
    if (typeof read === 'function') return read.call(transport);
  }
  return undefined;
}
