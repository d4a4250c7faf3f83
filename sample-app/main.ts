import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { WeatherStubServer } from './weather/weather-stub.server.js';

const DEFAULT_PORT = 3001;

async function bootstrap(): Promise<void> {
  const logger = new Logger('SampleApp');
  const port = Number(process.env.PORT?.trim() || DEFAULT_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT: expected a port number, got ${JSON.stringify(process.env.PORT)}`);

  const external = process.env.WEATHER_API_URL?.trim();
  const weatherStub = external ? undefined : await WeatherStubServer.start();
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot({ weatherApiUrl: external || weatherStub!.url, weatherStub }));
  // SIGTERM/SIGINT run the shutdown hooks: the analytics module delivers what is queued before exit.
  app.enableShutdownHooks();
  await app.listen(port);
  const bound = (app.getHttpServer().address() as AddressInfo).port;
  logger.log(`listening on http://localhost:${bound} (dashboard: http://localhost:${bound}/analytics)`);
}

bootstrap().catch((error: unknown) => {
  new Logger('SampleApp').error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
