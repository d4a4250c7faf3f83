import type { ContextParser } from './call-description.js';
import { rawRequestOf, requestPathOf } from './http-request.parser.js';

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
 * carried it (one `API Call`, with the root field as its route); over a socket it is recorded on
 * its own.
 */
export const parseGraphqlContext: ContextParser = (context, handler) => {
  const args = context.getArgs();
  const gqlContext = args[2] as GraphqlContextLike | null | undefined;
  const info = args[3] as ResolveInfoLike | null | undefined;
  const field = typeof info?.fieldName === 'string' ? info.fieldName : handler.name ?? 'unknown';
  const parent = typeof info?.parentType?.name === 'string' ? info.parentType.name : undefined;
  const route = parent ? `${parent}.${field}` : field;
  const operation = typeof info?.operation?.operation === 'string' ? info.operation.operation.toUpperCase() : 'GRAPHQL';
  const httpRequest = gqlContext?.req ?? gqlContext?.request ?? gqlContext?.reply?.request;
  return {
    method: operation,
    path: httpRequest ? requestPathOf(rawRequestOf(httpRequest)) : route,
    route,
    httpRequest: httpRequest ?? undefined,
    standalone: info?.path === undefined || info.path === null || info.path.prev === undefined || info.path.prev === null,
  };
};
