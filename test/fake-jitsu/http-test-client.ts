import { request, type Dispatcher } from 'undici';

/** A plain HTTP client for the fake server's own specs: they must exercise the wire, not the transport. */

export interface SendOptions {
  method?: Dispatcher.HttpMethod;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: unknown;
}

export async function send(dispatcher: Dispatcher, url: string, options: SendOptions = {}): Promise<Answer> {
  const response = await request(url, {
    dispatcher,
    method: options.method ?? 'POST',
    headers: options.headers,
    body: options.body,
  });
  const text = await response.body.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.statusCode, headers: response.headers, text, json };
}

export function jsonHeaders(writeKey: string, extra: Record<string, string> = {}): Record<string, string> {
  return { 'content-type': 'application/json', 'x-write-key': writeKey, ...extra };
}

export function trackEvent(messageId: string, overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'track',
    event: 'API Call',
    messageId,
    timestamp: '2024-01-01T00:00:00.000Z',
    properties: { event_category: 'backend', event_action: 'api_request' },
    context: { library: { name: 'nestjs-jitsu-analytics', version: '0.1.0' } },
    JITSU_TABLE_NAME: 'api_events',
    ...overrides,
  };
}

export function batchBody(events: unknown[], context?: Record<string, unknown>): string {
  return JSON.stringify(context === undefined ? { batch: events } : { batch: events, context });
}

/** The error a failed undici request ends with, so tests can check its code. */
export async function failureOf(promise: Promise<unknown>): Promise<NodeJS.ErrnoException> {
  try {
    await promise;
  } catch (error) {
    return error as NodeJS.ErrnoException;
  }
  throw new Error('expected the request to fail, but it succeeded');
}
