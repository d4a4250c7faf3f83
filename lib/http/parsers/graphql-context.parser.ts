import type { CallDescription, ContextParser, ParserSettings } from './call-description.js';
import { clientIpOf, headerOf, type NodeRequestLike, rawRequestOf, requestPathOf } from './http-request.parser.js';

interface ResolveInfoLike {
  fieldName?: unknown;
  parentType?: { name?: unknown };
  operation?: { operation?: unknown };
  path?: { prev?: unknown };
}

interface GraphqlContextLike {
  req?: unknown;
  request?: unknown;
  reply?: { request?: unknown };
}

/**
 * Resolvers. Only root fields (`Query.user`, `Mutation.createUser`) are calls; nested field
 * resolvers are part of the operation that asked for them. Over HTTP the call is the request that
 * carried it (one `API Call`, with the root field as its route); over a socket (a subscription
 * over graphql-ws) it is recorded on its own, with the client of the socket's upgrade request,
 * and a subscription lasts until its event stream ends.
 */
export const parseGraphqlContext: ContextParser = (context, handler, settings) => {
  const args = context.getArgs();
  const gqlContext = args[2] as GraphqlContextLike | null | undefined;
  const info = args[3] as ResolveInfoLike | null | undefined;
  const field = typeof info?.fieldName === 'string' ? info.fieldName : handler.name ?? 'unknown';
  const parent = typeof info?.parentType?.name === 'string' ? info.parentType.name : undefined;
  const route = parent ? `${parent}.${field}` : field;
  const operation = typeof info?.operation?.operation === 'string' ? info.operation.operation.toUpperCase() : 'GRAPHQL';
  const standalone = info?.path === undefined || info.path === null || info.path.prev === undefined || info.path.prev === null;
  const call: CallDescription = { method: operation, path: route, route, standalone, subscription: operation === 'SUBSCRIPTION' };
  // graphql-js builds one `info` per field it resolves.
  if (typeof info === 'object' && info !== null) call.callKey = info;
  const socketRequest = upgradeRequestOf(gqlContext?.req);
  if (socketRequest) return standalone ? { ...call, ...socketClient(socketRequest, settings) } : call;
  const httpRequest = gqlContext?.req ?? gqlContext?.request ?? gqlContext?.reply?.request;
  return httpRequest ? { ...call, path: requestPathOf(rawRequestOf(httpRequest)), httpRequest } : call;
};

/**
 * graphql-ws hands resolvers its connection context, which NestJS's Apollo driver passes as `req`:
 * the socket's upgrade request is its `extra.request`.
 */
function upgradeRequestOf(req: unknown): NodeRequestLike | undefined {
  const extra = (req as { extra?: { request?: unknown } } | null | undefined)?.extra;
  const request = extra?.request;
  return typeof request === 'object' && request !== null ? (request as NodeRequestLike) : undefined;
}

function socketClient(request: NodeRequestLike, settings: ParserSettings): Partial<CallDescription> {
  return {
    path: requestPathOf(request),
    ipAddress: clientIpOf(request, settings.trustProxy, settings.ipPolicy),
    userAgent: headerOf(request, 'user-agent'),
  };
}
