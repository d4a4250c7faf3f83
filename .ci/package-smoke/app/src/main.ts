// A user's app on the installed tarball: the root entry and `./testing` at run time, a decorated
// provider in a feature module, an HTTP request, and `app.close()`. Compiled once as CommonJS and
// once as ESM by package-smoke.sh; prints `package-smoke: ok` when every event arrived.
import 'reflect-metadata';
import { Controller, Get, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AnalyticsService, TrackEvent } from 'nestjs-jitsu-analytics';
import { AnalyticsRecorder, JitsuAnalyticsTestingModule } from 'nestjs-jitsu-analytics/testing';

@Injectable()
class Greeter {
  @TrackEvent('Greeted')
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Controller()
class GreetingController {
  constructor(private readonly greeter: Greeter, private readonly analytics: AnalyticsService) {}

  @Get()
  hello(): string {
    this.analytics.track('Hello Served');
    return this.greeter.greet('user');
  }
}

@Module({ controllers: [GreetingController], providers: [Greeter] })
class GreetingModule {}

@Module({ imports: [JitsuAnalyticsTestingModule.forRoot(), GreetingModule] })
class AppModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
  await app.listen(0);
  const { port } = app.getHttpServer().address();
  const body = await (await fetch(`http://127.0.0.1:${port}/`)).text();
  const recorder = app.get(AnalyticsRecorder);
  for (const name of ['Greeted', 'Hello Served', 'API Call']) await recorder.waitFor((e) => e.event === name);
  await app.close();
  if (body !== 'hello user') throw new Error(`unexpected body ${JSON.stringify(body)}`);
  console.log('package-smoke: ok');
}

main().catch((error: unknown) => {
  console.error('package-smoke: failed', error);
  process.exit(1);
});
