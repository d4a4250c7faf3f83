import { RpcException } from '@nestjs/microservices';
import { WsException } from '@nestjs/websockets';
import { NotFoundException } from '@nestjs/common';
import { errorName } from '../../lib/events/error-name.js';
import { backendErrorEvent } from '../../lib/events/event-builders.js';

class PaymentDeclined extends Error {}
class Named extends Error {
  override name = 'CardRefused';
}

describe('error_name', () => {
  it("is the error's own name where it set one", () => {
    expect(errorName(new TypeError('x'))).toBe('TypeError');
    expect(errorName(new NotFoundException())).toBe('NotFoundException');
    expect(errorName(new Named())).toBe('CardRefused');
    expect(errorName(new Error('plain'))).toBe('Error');
  });

  it("is the subclass's name where the subclass kept the inherited 'Error' (NestJS's RpcException and WsException do)", () => {
    expect(new RpcException('x').name).toBe('Error');
    expect(errorName(new RpcException({ code: 'LOCKED' }))).toBe('RpcException');
    expect(errorName(new WsException('x'))).toBe('WsException');
    expect(errorName(new PaymentDeclined())).toBe('PaymentDeclined');
  });

  it("keeps 'Error' for plain objects and anonymous classes, and gives a non-object's type", () => {
    expect(errorName({ name: 'Error', message: 'm' })).toBe('Error');
    expect(errorName(Object.assign(Object.create(null), { name: 'Error' }))).toBe('Error');
    expect(errorName(new (class extends Error {})())).toBe('Error');
    expect(errorName({ message: 'no name' })).toBe('object');
    expect(errorName('text')).toBe('string');
    expect(errorName(undefined)).toBe('undefined');
    expect(errorName(null)).toBe('object');
  });

  it('is what a Backend Error carries', () => {
    expect(backendErrorEvent({ source: 'api', error: new RpcException('locked') }).properties.error_name).toBe('RpcException');
  });
});
