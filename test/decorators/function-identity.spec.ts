import 'reflect-metadata';
import { Get, Header, HttpCode, SetMetadata, UseGuards, type CanActivate } from '@nestjs/common';
import { GUARDS_METADATA, HEADERS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { TrackEvent } from '../../lib/decorators/track-event.decorator.js';
import { TrackPayment } from '../../lib/decorators/track-payment.decorator.js';
import { TRACKED_METHOD_METADATA } from '../../lib/decorators/tracking-decorator.js';

class AllowGuard implements CanActivate {
  canActivate(): boolean {
    return true;
  }
}

const Roles = (...roles: string[]) => SetMetadata('roles', roles);

class Undecorated {
  @Get('orders/:id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  @UseGuards(AllowGuard)
  handle(id: string, verbose: boolean): string {
    return `${id}${verbose}`;
  }
}

class TrackedAbove {
  @TrackEvent('Handled')
  @Get('orders/:id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  @UseGuards(AllowGuard)
  handle(id: string, verbose: boolean): string {
    return `${id}${verbose}`;
  }
}

class TrackedBelow {
  @Get('orders/:id')
  @HttpCode(202)
  @Header('x-a', 'b')
  @Roles('admin')
  @UseGuards(AllowGuard)
  @TrackEvent('Handled')
  handle(id: string, verbose: boolean): string {
    return `${id}${verbose}`;
  }
}

class TrackedBetween {
  @Get('orders/:id')
  @HttpCode(202)
  @TrackEvent('Handled')
  @Header('x-a', 'b')
  @Roles('admin')
  @UseGuards(AllowGuard)
  handle(id: string, verbose: boolean): string {
    return `${id}${verbose}`;
  }
}

const KEYS = [PATH_METADATA, METHOD_METADATA, HTTP_CODE_METADATA, HEADERS_METADATA, 'roles', GUARDS_METADATA];

function routeMetadata(fn: object): Record<string, unknown> {
  return Object.fromEntries(KEYS.map((key) => [key, Reflect.getMetadata(key, fn)]));
}

describe('the wrapper keeps the method\'s identity', () => {
  const expected = routeMetadata(Undecorated.prototype.handle);

  it.each([
    ['above', TrackedAbove],
    ['below', TrackedBelow],
    ['between', TrackedBetween],
  ])('keeps every metadata key of Nest decorators written %s it', (_where, Class) => {
    const handle = Class.prototype.handle;
    expect(handle).not.toBe(Undecorated.prototype.handle);
    expect(routeMetadata(handle)).toEqual(expected);
    expect(expected).toMatchObject({ roles: ['admin'], [HTTP_CODE_METADATA]: 202, [HEADERS_METADATA]: [{ name: 'x-a', value: 'b' }] });
  });

  it.each([TrackedAbove, TrackedBelow, TrackedBetween])('keeps name and length (%p)', (Class) => {
    expect(Class.prototype.handle.name).toBe('handle');
    expect(Class.prototype.handle.length).toBe(2);
  });

  it('keeps the design-time parameter types TypeScript emitted (ValidationPipe reads them)', () => {
    expect(Reflect.getMetadata('design:paramtypes', TrackedAbove.prototype, 'handle')).toEqual([String, Boolean]);
    expect(Reflect.getMetadata('design:returntype', TrackedBelow.prototype, 'handle')).toBe(String);
  });

  it('keeps own properties other libraries put on the function, and marks it tracked', () => {
    function tag(target: object, key: string, descriptor: PropertyDescriptor): void {
      Object.assign(descriptor.value, { openapiTag: 'orders' });
      void target;
      void key;
    }
    class Tagged {
      @TrackPayment('charge')
      @TrackEvent('Charged')
      @tag
      charge(): number {
        return 1;
      }
    }
    expect((Tagged.prototype.charge as unknown as { openapiTag: string }).openapiTag).toBe('orders');
    expect(Reflect.getOwnMetadata(TRACKED_METHOD_METADATA, Tagged.prototype.charge)).toEqual(['TrackEvent', 'TrackPayment']);
    expect(new Tagged().charge()).toBe(1);
  });
});
