import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { OnApplicationShutdown } from '@nestjs/common';
import { forecastFor } from './forecast.js';

/**
 * A stand-in for a third-party weather API, started with the app on a free local port, so the
 * outbound HTTP tracking has a real server to call with no network access. It answers
 * `GET /v1/forecast?city=<name>` with 200 or 404 after a short, varying delay.
 */
export class WeatherStubServer implements OnApplicationShutdown {
  private constructor(private readonly server: Server) {}

  static async start(host = '127.0.0.1'): Promise<WeatherStubServer> {
    const server = createServer((req, res) => void answer(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    return new WeatherStubServer(server);
  }

  get url(): string {
    const { address, port } = this.server.address() as AddressInfo;
    return `http://${address}:${port}`;
  }

  /** Nest calls this at shutdown; closing idle keep-alive sockets lets the process exit at once. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }

  close(): Promise<void> {
    if (!this.server.listening) return Promise.resolve();
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeIdleConnections();
    });
  }
}

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://stub');
  await new Promise((resolve) => setTimeout(resolve, 5 + Math.floor(Math.random() * 40)));
  if (req.method !== 'GET' || url.pathname !== '/v1/forecast') return send(res, 404, { error: 'not_found' });
  const forecast = forecastFor(url.searchParams.get('city') ?? '');
  if (!forecast) return send(res, 404, { error: 'unknown_city' });
  send(res, 200, forecast);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) });
  res.end(json);
}
