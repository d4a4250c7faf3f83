import type { Socket } from 'node:net';

/**
 * The sockets a test server holds open, so closing it does not wait on keep-alive connections.
 * A socket's errors are expected (tests cut connections on purpose) and ignored.
 */
export function trackedSockets() {
  const sockets = new Set<Socket>();
  return {
    add(...added: Socket[]): void {
      for (const socket of added) {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      }
    },
    destroyAll(): void {
      for (const socket of sockets) socket.destroy();
    },
  };
}
