import { applyIpPolicy, clientIp } from '../../privacy/ip-policy.js';
import { statusOfTransportError } from '../error-status.js';
import type { CallDescription, ContextParser } from './call-description.js';
import { patternText } from './call-description.js';

type WsClient = {
  handshake?: { address?: string; headers?: Record<string, string | string[] | undefined> };
  _socket?: { remoteAddress?: string };
  request?: { headers?: Record<string, string | string[] | undefined>; socket?: { remoteAddress?: string } };
};

/**
 * Gateway message handlers. The event is the pattern Nest passes as the last argument, else the
 * `@SubscribeMessage` one. The client's address and user agent come from a socket.io handshake or
 * the `ws` upgrade request when they are there.
 */
export const parseWsContext: ContextParser = (context, handler, settings) => {
  const ws = context.switchToWs();
  const event = patternText(ws.getPattern()) ?? handler.declaredPattern ?? handler.name ?? 'unknown';
  const client = ws.getClient() as WsClient | null | undefined;
  const headers = client?.handshake?.headers ?? client?.request?.headers;
  const remoteAddress = client?.handshake?.address ?? client?._socket?.remoteAddress ?? client?.request?.socket?.remoteAddress;
  const ip = clientIp({ remoteAddress, forwardedFor: headers?.['x-forwarded-for'], trustProxy: settings.trustProxy });
  const agent = headers?.['user-agent'];
  const call: CallDescription = {
    method: 'WS',
    path: event,
    route: handler.declaredPattern ?? event,
    ipAddress: applyIpPolicy(ip, settings.ipPolicy),
    userAgent: Array.isArray(agent) ? agent[0] : agent,
    standalone: true,
    statusOfError: statusOfTransportError,
  };
  const data: unknown = ws.getData();
  if (typeof data === 'object' && data !== null) call.callKey = data;
  return call;
};
