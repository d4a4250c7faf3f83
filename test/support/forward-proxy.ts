import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { trackedSockets } from './tracked-sockets.js';

/**
 * A forward proxy, as corporate proxies are: it tunnels HTTPS (`CONNECT`, then bytes piped both
 * ways) and takes a plain request written in absolute form (`GET http://host/path`), which is how
 * axios and other `node:http` clients send calls through an `HTTP(S)_PROXY`. Those it answers
 * itself, 200, without calling the target: a call it made would be recorded too (the instrumentation
 * sees the whole process), and the target's host need not exist. With `credentials`
 * (`user:pass`), a tunnel needs them as Basic `Proxy-Authorization`, else the answer is 407.
 */
export async function forwardProxy(options: { credentials?: string } = {}) {
  const sockets = trackedSockets();
  const expected = options.credentials === undefined ? undefined : `Basic ${Buffer.from(options.credentials).toString('base64')}`;
  let tunnels = 0;
  const requested: string[] = [];
  const server = http.createServer((req: IncomingMessage, res: ServerResponse) => {
    req.resume();
    if (!/^https?:\/\//.test(req.url ?? '')) return void res.writeHead(400).end();
    requested.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  });
  server.on('connection', (socket: Socket) => sockets.add(socket));
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client);
    if (expected !== undefined && req.headers['proxy-authorization'] !== expected) {
      return void client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
    }
    tunnels++;
    const [host, port] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    sockets.add(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    tunnels: () => tunnels,
    requested: () => requested,
    close: () => {
      sockets.destroyAll();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}
