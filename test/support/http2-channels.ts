import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';

/** A GET on an open session: the response's status once its body is read. */
export function h2Get(session: http2.ClientHttp2Session, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = session.request({ ':path': path });
    let status = 0;
    request.on('response', (headers) => (status = Number(headers[':status'])));
    request.on('error', reject);
    request.on('end', () => resolve(status));
    request.resume();
    request.end();
  });
}

/**
 * Whether this Node publishes `http2.client.stream.*` (22.17+, 24.2+), found by watching a request
 * to a local server: the specs of real HTTP/2 and gRPC clients run only there.
 */
export async function nodePublishesHttp2(): Promise<boolean> {
  let seen = false;
  const watch = () => (seen = true);
  subscribe('http2.client.stream.finish', watch);
  const server = http2.createServer((_req, res) => res.end());
  try {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const session = http2.connect(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    await h2Get(session, '/');
    session.close();
  } finally {
    unsubscribe('http2.client.stream.finish', watch);
    await new Promise((resolve) => server.close(resolve));
  }
  return seen;
}
