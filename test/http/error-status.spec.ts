import { BadRequestException, HttpException, NotFoundException } from '@nestjs/common';
import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { statusOfError, statusOfTransportError } from '../../lib/http/error-status.js';

describe('statusOfError', () => {
  it.each([
    ['NotFoundException', new NotFoundException(), 404],
    ['a BadRequestException subclass', new (class extends BadRequestException {})(), 400],
    ['an HttpException with a custom status', new HttpException('quota', 429), 429],
    ['an http-errors style error', Object.assign(new Error('gone'), { statusCode: 410, status: 410, expose: true }), 410],
    ['a Fastify-style error with statusCode', Object.assign(new Error('too large'), { statusCode: 413 }), 413],
    ['an error with only a status (as some HTTP clients throw)', Object.assign(new Error('unavailable'), { status: 503 }), 503],
    ['the last status of the error range', new HttpException('edge', 599), 599],
    ['a status past the error range', new HttpException('odd', 600), 500],
    ['a status that is not an integer', Object.assign(new Error('odd'), { statusCode: 404.5 }), 500],
    ['a plain Error', new Error('boom'), 500],
    ['an Error with a non-error status', Object.assign(new Error('odd'), { status: 200 }), 500],
    ['an Error with a status that is not a number', Object.assign(new Error('odd'), { status: '404' }), 500],
    ['a string', 'boom', 500],
    ['null', null, 500],
    ['undefined', undefined, 500],
  ])('%s → %d', (_label, error, status) => {
    expect(statusOfError(error)).toBe(status);
  });

  it('is 500 when reading the status throws', () => {
    const hostile = {
      getStatus() {
        throw new Error('nope');
      },
    };
    expect(statusOfError(hostile)).toBe(500);
  });
});

describe('statusOfTransportError', () => {
  it.each([
    ["Nest's answer to a microservice guard that returned false", new RpcException('Forbidden resource'), 403],
    ["Nest's answer to a gateway guard that returned false", new WsException('Forbidden resource'), 403],
    ['an RpcException with other words', new RpcException('Forbidden resources'), 500],
    ['an RpcException with an object', new RpcException({ message: 'Forbidden resource' }), 500],
    ['an HttpException', new NotFoundException(), 404],
    ['a string', 'Forbidden resource', 500],
  ])('%s → %d', (_label, error, status) => {
    expect(statusOfTransportError(error)).toBe(status);
  });

  it('is 500 when reading the error throws', () => {
    const hostile = {
      getError() {
        throw new Error('nope');
      },
    };
    expect(statusOfTransportError(hostile)).toBe(500);
  });
});
