import type { NonHttpContextType } from '../api-tracking.resolver.js';
import type { ContextParser } from './call-description.js';
import { parseGraphqlContext } from './graphql-context.parser.js';
import { parseRpcContext } from './rpc-context.parser.js';
import { parseWsContext } from './ws-context.parser.js';

/** The parser of each non-HTTP context type Nest reports from `ExecutionContext.getType()`. */
export const CONTEXT_PARSERS: Readonly<Record<NonHttpContextType, ContextParser>> = Object.freeze({
  rpc: parseRpcContext,
  ws: parseWsContext,
  graphql: parseGraphqlContext,
});

export function isNonHttpContextType(type: string): type is NonHttpContextType {
  return type === 'rpc' || type === 'ws' || type === 'graphql';
}
