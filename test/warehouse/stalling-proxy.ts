import { type AddressInfo, type Socket, connect, createServer } from 'node:net';
import { trackedSockets } from '../support/tracked-sockets.js';

/**
 * A TCP relay to a database that can go silent: after `stall()`, every connection open at that
 * moment stops carrying bytes for good, as when the network to the server drops packets without
 * resetting anything (a failover, a paused VM). Connections made afterwards are relayed normally.
 */
export async function stallingProxy(targetPort: number) {
  const live = new Set<{ client: Socket; upstream: Socket }>();
  const sockets = trackedSockets();
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1');
    const pair = { client, upstream };
    live.add(pair);
    client.pipe(upstream).pipe(client);
    sockets.add(client, upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    stall(): void {
      for (const { client, upstream } of live) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
      live.clear();
    },
    close(): Promise<void> {
      sockets.destroyAll();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
