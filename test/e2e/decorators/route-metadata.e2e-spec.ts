import 'reflect-metadata';
import { Controller, Get, Header, HttpCode, Injectable, Param, SetMetadata, UseGuards, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { TrackEvent } from '../../../lib/decorators/track-event.decorator.js';
import { startAnalyticsApp, type AnalyticsApp } from './support/analytics-app.js';

const ROLES = 'roles';
const Roles = (...roles: string[]) => SetMetadata(ROLES, roles);

/** Lets a request in only when the handler's @Roles metadata names the caller's role: lost metadata means 403. */
@Injectable()
class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.get<string[] | undefined>(ROLES, context.getHandler());
    const role = context.switchToHttp().getRequest<{ headers: Record<string, string> }>().headers['x-role'];
    return Array.isArray(roles) && roles.includes(role ?? '');
  }
}

const track = () => TrackEvent('Order Viewed', { properties: ({ args }) => ({ order: args[0] }) });

@Controller('plain')
@UseGuards(RolesGuard)
class PlainController {
  @Get(':id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  view(@Param('id') id: string): { id: string; handler: string } {
    return { id, handler: this.view.name };
  }
}

@Controller('above')
@UseGuards(RolesGuard)
class TrackedAboveController {
  @track()
  @Get(':id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  view(@Param('id') id: string): { id: string; handler: string } {
    return { id, handler: this.view.name };
  }
}

@Controller('below')
@UseGuards(RolesGuard)
class TrackedBelowController {
  @Get(':id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  @track()
  view(@Param('id') id: string): { id: string; handler: string } {
    return { id, handler: this.view.name };
  }
}

/** A handler-level guard written between our decorator and the route's, rather than on the class. */
@Controller('guarded')
class HandlerGuardController {
  @HttpCode(202)
  @Get(':id')
  @UseGuards(RolesGuard)
  @track()
  @Header('x-a', 'b')
  @Roles('admin')
  view(@Param('id') id: string): { id: string; handler: string } {
    return { id, handler: this.view.name };
  }
}

interface Answer {
  status: number;
  xa: string | null;
  body: unknown;
}

describe('a controller handler with route, status, header, role metadata and a guard', () => {
  let nest: AnalyticsApp;

  beforeAll(async () => {
    nest = await startAnalyticsApp({
      controllers: [PlainController, TrackedAboveController, TrackedBelowController, HandlerGuardController],
      providers: [RolesGuard],
    });
  });
  afterAll(() => nest.close());

  async function answer(prefix: string, role?: string): Promise<Answer> {
    const response = await nest.request(`/${prefix}/o-17`, { headers: role ? { 'x-role': role } : {} });
    return { status: response.status, xa: response.headers.get('x-a'), body: await response.json() };
  }

  it('without @TrackEvent: 202 with the header and body for an admin, 403 for anyone else', async () => {
    expect(await answer('plain', 'admin')).toEqual({ status: 202, xa: 'b', body: { id: 'o-17', handler: 'view' } });
    expect((await answer('plain', 'guest')).status).toBe(403);
    expect((await answer('plain')).status).toBe(403);
  });

  it.each([
    ['above', 'above'],
    ['below', 'below'],
    ['between', 'guarded'],
  ])('answers exactly as without @TrackEvent when it is written %s the others', async (_where, prefix) => {
    for (const role of ['admin', 'guest', undefined]) {
      expect(await answer(prefix, role)).toEqual(await answer('plain', role));
    }
  });

  it('records one event per handled request, and none for requests the guard refused', async () => {
    nest.recorder.clear();
    await answer('above', 'admin');
    await answer('below', 'admin');
    await answer('guarded', 'admin');
    await answer('above', 'guest');
    const events = await nest.eventsIn('custom_events');
    expect(events.map((e) => [e.event, e.properties.order, e.properties.success])).toEqual([
      ['Order Viewed', 'o-17', true],
      ['Order Viewed', 'o-17', true],
      ['Order Viewed', 'o-17', true],
    ]);
  });
});
