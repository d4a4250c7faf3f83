import { status as GrpcStatus } from '@grpc/grpc-js';
import { NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { grpcMethodName, grpcMethodOfCall, isGrpcPattern, statusOfGrpcError } from '../../lib/http/grpc-calls.js';
import { patternText } from '../../lib/http/parsers/call-description.js';

describe('gRPC method names', () => {
  it('recognises the pattern @GrpcMethod() and @GrpcStreamMethod() declare', () => {
    expect(isGrpcPattern({ service: 'OrdersService', rpc: 'FindOne', streaming: 'no_stream' })).toBe(true);
    expect(isGrpcPattern({ service: 'OrdersService', rpc: 'Upload', streaming: 'rx_stream' })).toBe(true);
    expect(isGrpcPattern({ cmd: 'sum' })).toBe(false);
    expect(isGrpcPattern({ service: 'OrdersService' })).toBe(false);
    expect(isGrpcPattern({ service: 'OrdersService', rpc: 7 })).toBe(false);
    expect(isGrpcPattern('OrdersService/FindOne')).toBe(false);
    expect(isGrpcPattern(null)).toBe(false);
  });

  it('names a method as its gRPC path does, whatever its streaming kind, and other patterns keep their sorted JSON', () => {
    expect(grpcMethodName({ service: 'OrdersService', rpc: 'FindOne' })).toBe('OrdersService/FindOne');
    expect(patternText({ streaming: 'rx_stream', rpc: 'Upload', service: 'OrdersService' })).toBe('OrdersService/Upload');
    expect(patternText({ role: 'orders', cmd: 'get' })).toBe('{"cmd":"get","role":"orders"}');
  });
});

describe('grpcMethodOfCall', () => {
  const call = (path: unknown) => ({ getPath: () => path });

  it.each([
    ['/orders.OrdersService/FindOne', 'OrdersService/FindOne'],
    ['/acme.shop.v1.OrdersService/Watch', 'OrdersService/Watch'],
    ['/OrdersService/FindOne', 'OrdersService/FindOne'],
  ])('names the call for %s as @GrpcMethod() declares it: %s', (path, name) => {
    expect(grpcMethodOfCall(call(path))).toBe(name);
  });

  it.each([
    ['a path that is no gRPC method', call('/orders')],
    ['a path that is not a string', call(7)],
    ['an object without getPath()', { metadata: {} }],
    ['a getPath() that throws', { getPath: () => { throw new Error('closed'); } }],
    ['undefined', undefined],
  ])('names nothing for %s', (_label, value) => {
    expect(grpcMethodOfCall(value)).toBeUndefined();
  });
});

describe('statusOfGrpcError', () => {
  it.each([
    ['NOT_FOUND', GrpcStatus.NOT_FOUND, 404],
    ['INVALID_ARGUMENT', GrpcStatus.INVALID_ARGUMENT, 400],
    ['UNAUTHENTICATED', GrpcStatus.UNAUTHENTICATED, 401],
    ['PERMISSION_DENIED', GrpcStatus.PERMISSION_DENIED, 403],
    ['ALREADY_EXISTS', GrpcStatus.ALREADY_EXISTS, 409],
    ['RESOURCE_EXHAUSTED', GrpcStatus.RESOURCE_EXHAUSTED, 429],
    ['CANCELLED', GrpcStatus.CANCELLED, 499],
    ['UNIMPLEMENTED', GrpcStatus.UNIMPLEMENTED, 501],
    ['UNAVAILABLE', GrpcStatus.UNAVAILABLE, 503],
    ['DEADLINE_EXCEEDED', GrpcStatus.DEADLINE_EXCEEDED, 504],
    ['INTERNAL', GrpcStatus.INTERNAL, 500],
  ])('an RpcException with %s → %d', (_name, code, status) => {
    expect(statusOfGrpcError(new RpcException({ code, message: 'refused' }))).toBe(status);
  });

  it('reads the code of an error that carries one itself (a gRPC client error passed on)', () => {
    expect(statusOfGrpcError(Object.assign(new Error('5 NOT_FOUND: gone'), { code: GrpcStatus.NOT_FOUND }))).toBe(404);
  });

  it.each([
    ['a plain Error', new Error('boom'), 500],
    ['an RpcException with a message only', new RpcException('refused'), 500],
    ["Nest's answer to a guard that returned false", new RpcException('Forbidden resource'), 403],
    ['an RpcException with a code that is no gRPC code', new RpcException({ code: 'ORDER_LOCKED', message: 'locked' }), 500],
    ['an RpcException with code OK', new RpcException({ code: GrpcStatus.OK, message: 'odd' }), 500],
    ['a code past the last gRPC code', Object.assign(new Error('odd'), { code: 17 }), 500],
    ['an HttpException', new NotFoundException(), 404],
    ['a string', 'boom', 500],
    ['null', null, 500],
  ])('otherwise as for any handler: %s → %d', (_label, error, status) => {
    expect(statusOfGrpcError(error)).toBe(status);
  });

  it('is 500 when reading the error throws', () => {
    const hostile = {
      getError() {
        throw new Error('nope');
      },
    };
    expect(statusOfGrpcError(hostile)).toBe(500);
  });
});
