import 'reflect-metadata';
import { BadRequestException, Body, Controller, HttpCode, Injectable, Post } from '@nestjs/common';
import { Observable, of, throwError, timer } from 'rxjs';
import { switchMap } from 'rxjs/operators';
import { TrackAuth } from '../../../../lib/decorators/track-auth.decorator.js';
import { TrackEmail } from '../../../../lib/decorators/track-email.decorator.js';
import { TrackEvent } from '../../../../lib/decorators/track-event.decorator.js';
import { TrackExternalApi } from '../../../../lib/decorators/track-external-api.decorator.js';
import { TrackFileOperation } from '../../../../lib/decorators/track-file-operation.decorator.js';
import { TrackPayment } from '../../../../lib/decorators/track-payment.decorator.js';
import type { TrackingDecorator } from '../../../../lib/decorators/tracking-decorator.js';

/**
 * Each decorator with the arguments a call passes, what the method returns, and the exact
 * properties DESIGN.md gives its event. `trackedProvider` / `trackedController` build a class
 * whose `sync`, `async` and `stream` methods carry the decorator, so every decorator is checked
 * in every mode and outcome on both hosts from the same table.
 */
export interface MatrixCase {
  readonly name: string;
  readonly decorator: () => TrackingDecorator;
  readonly event: string;
  readonly table: string;
  readonly errorSource: string;
  /** What its Backend Error carries besides the error's fields. */
  readonly errorProperties?: Record<string, unknown>;
  /** The first argument (the request body of a controller handler). */
  readonly input: Record<string, unknown>;
  /** What the method returns on success. */
  readonly result: Record<string, unknown>;
  /** The event's exact properties besides event_category/environment. */
  expected(success: boolean): Record<string, unknown>;
}

const took = { duration_ms: expect.any(Number) };

export const MATRIX: readonly MatrixCase[] = [
  {
    name: 'TrackAuth',
    decorator: () => TrackAuth('login'),
    event: 'User Authentication',
    table: 'authentication_events',
    errorSource: 'auth',
    input: { email: 'ann@example.com', password: 'p4ssw0rd!' },
    result: { user: { id: 'u-1' } },
    expected: (ok) => ({
      event_action: 'user_authentication',
      auth_action: 'login',
      auth_success: ok,
      ...(ok ? { user_id: 'u-1' } : { failure_reason: 'BadRequestException' }),
    }),
  },
  {
    name: 'TrackPayment',
    decorator: () => TrackPayment('charge', { provider: 'stripe' }),
    event: 'Payment Processing',
    table: 'payment_events',
    errorSource: 'payment',
    input: { amount: 25, currency: 'usd', card: '4242424242424242' },
    result: { id: 'ch_1' },
    expected: (ok) => ({
      event_action: 'payment_processing',
      payment_action: 'charge',
      payment_amount: 25,
      payment_currency: 'USD',
      payment_success: ok,
      payment_provider: 'stripe',
      ...took,
    }),
  },
  {
    name: 'TrackEmail',
    decorator: () => TrackEmail({ provider: 'ses' }),
    event: 'Email Send',
    table: 'email_events',
    errorSource: 'email',
    input: { to: 'ann@example.com', template: 'welcome' },
    result: { messageId: 'm-1' },
    expected: (ok) => ({
      event_action: 'email_send',
      email_template: 'welcome',
      email_success: ok,
      recipient_domain: 'example.com',
      email_provider: 'ses',
      ...took,
    }),
  },
  {
    name: 'TrackFileOperation',
    decorator: () => TrackFileOperation('upload'),
    event: 'File Operation',
    table: 'file_operation_events',
    errorSource: 'file',
    input: { mimetype: 'image/png', size: 512 },
    result: { key: 'k-1' },
    expected: (ok) => ({
      event_action: 'file_operation',
      file_operation: 'upload',
      file_type: 'image/png',
      file_size_bytes: 512,
      file_success: ok,
      ...took,
    }),
  },
  {
    name: 'TrackExternalApi',
    decorator: () => TrackExternalApi('stripe', '/v1/charges', { method: 'POST' }),
    event: 'External API Call',
    table: 'external_api_events',
    errorSource: 'external_api',
    errorProperties: { service: 'stripe', endpoint: '/v1/charges' },
    input: { customer: 'cus_1' },
    result: { status: 201 },
    expected: (ok) => ({
      event_action: 'external_api_call',
      service: 'stripe',
      endpoint: '/v1/charges',
      http_method: 'POST',
      status_code: ok ? 201 : 400,
      success: ok,
      ...took,
    }),
  },
  {
    name: 'TrackEvent',
    decorator: () => TrackEvent('Order Placed', { properties: ({ args }) => ({ items: args[0].items }) }),
    event: 'Order Placed',
    table: 'custom_events',
    errorSource: 'custom',
    input: { items: 3 },
    result: { orderId: 'o-1' },
    expected: (ok) => ({ event_action: 'custom', items: 3, success: ok, ...took }),
  },
];

export const MODES = ['sync', 'async', 'stream'] as const;
export type Mode = (typeof MODES)[number];

/** The Backend Error a failing call adds (the methods throw `BadRequestException('declined')`). */
export function backendError(source: string): Record<string, unknown> {
  return {
    event_action: 'backend_error',
    error_source: source,
    error_name: 'BadRequestException',
    error_message: 'declined',
    status_code: 400,
    stack_fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
  };
}

type Input = Record<string, unknown> & { fail?: boolean };

/** A class whose three methods carry `c`'s decorator; they fail when the input has `fail: true`. */
function trackedClass(c: MatrixCase) {
  class Tracked {
    sync(input: Input): Record<string, unknown> {
      if (input.fail) throw new BadRequestException('declined');
      return c.result;
    }

    async async(input: Input): Promise<Record<string, unknown>> {
      await new Promise((r) => setTimeout(r, 2));
      if (input.fail) throw new BadRequestException('declined');
      return c.result;
    }

    stream(input: Input): Observable<Record<string, unknown>> {
      return timer(2).pipe(switchMap(() => (input.fail ? throwError(() => new BadRequestException('declined')) : of(c.result))));
    }
  }
  Object.defineProperty(Tracked, 'name', { value: `${c.name}Host` });
  return Tracked;
}

function decorateMethods(Class: { prototype: object }, decorate: (method: Mode, descriptor: PropertyDescriptor) => void): void {
  for (const method of MODES) {
    const descriptor = Object.getOwnPropertyDescriptor(Class.prototype, method)!;
    decorate(method, descriptor);
    Object.defineProperty(Class.prototype, method, descriptor);
  }
}

export type TrackedHost = { [M in Mode]: (input: Input) => unknown };

export function trackedProvider(c: MatrixCase): new () => TrackedHost {
  const Class = trackedClass(c);
  decorateMethods(Class, (method, descriptor) => c.decorator()(Class.prototype, method, descriptor));
  Injectable()(Class);
  return Class;
}

/** The same class as a controller: `POST /<decorator>/<mode>` with the input as JSON body. */
export function trackedController(c: MatrixCase): new () => TrackedHost {
  const Class = trackedClass(c);
  decorateMethods(Class, (method, descriptor) => {
    Reflect.defineMetadata('design:paramtypes', [Object], Class.prototype, method);
    Body()(Class.prototype, method, 0);
    c.decorator()(Class.prototype, method, descriptor);
    HttpCode(200)(Class.prototype, method, descriptor);
    Post(method)(Class.prototype, method, descriptor);
  });
  Controller(c.name)(Class);
  return Class;
}
