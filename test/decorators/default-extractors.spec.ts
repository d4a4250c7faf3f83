import { HttpException, NotFoundException } from '@nestjs/common';
import {
  authAccepted,
  authUserId,
  emailRecipient,
  emailTemplate,
  errorStatus,
  failureReason,
  fileSize,
  fileType,
  paymentAmount,
  paymentCurrency,
  responseStatus,
} from '../../lib/decorators/default-extractors.js';
import type { TrackedCall } from '../../lib/decorators/tracked-call.interface.js';

const call = (args: unknown[], result?: unknown, error?: unknown): TrackedCall => ({ args, result, error, instance: {} });

describe('default extractors', () => {
  it('find the signed-in user in what a login returns, never in its arguments', () => {
    expect(authUserId(call(['a@b.c', 'pw'], { userId: 'u1', id: 'other' }))).toBe('u1');
    expect(authUserId(call(['a@b.c', 'pw'], { user: { id: 5 }, accessToken: 't' }))).toBe(5);
    expect(authUserId(call(['a@b.c', 'pw'], { id: 'u3' }))).toBe('u3');
    expect(authUserId(call(['u-from-args'], 'a-token-string'))).toBeUndefined();
    expect(authUserId(call(['u-from-args'], undefined))).toBeUndefined();
  });

  it('treat null and false as a refused login, anything else as accepted', () => {
    expect([null, false, undefined, 0, {}].map((r) => authAccepted(call([], r)))).toEqual([false, false, true, true, true]);
  });

  it('give the error class, not its message, as failure reason', () => {
    expect(failureReason(call([], undefined, new NotFoundException('user bob@x.io not found')))).toBe('NotFoundException');
    expect(failureReason(call([], undefined, 'plain string'))).toBeUndefined();
  });

  it('read payment amount and currency from positional arguments, a DTO, or the result', () => {
    expect([paymentAmount(call([10, 'usd'])), paymentCurrency(call([10, 'usd']))]).toEqual([10, 'usd']);
    expect([paymentAmount(call([{ amount: 5, currency: 'eur' }])), paymentCurrency(call([{ amount: 5, currency: 'eur' }]))]).toEqual([5, 'eur']);
    expect([paymentAmount(call(['order-1'], { amount: 7, currency: 'jpy' })), paymentCurrency(call(['order-1'], { amount: 7, currency: 'jpy' }))]).toEqual([7, 'jpy']);
    expect(paymentCurrency(call(['usd', 10]))).toBeUndefined();
    // A numeric amount without a currency argument: the result's currency, not a missing second argument.
    expect(paymentCurrency(call([10], { amount: 10, currency: 'gbp' }))).toBe('gbp');
  });

  it('read the recipient and template of an e-mail', () => {
    expect(emailRecipient(call(['a@b.io', 'subject']))).toBe('a@b.io');
    expect(emailRecipient(call([['a@b.io', 'c@d.io']]))).toEqual(['a@b.io', 'c@d.io']);
    expect(emailRecipient(call([{ to: 'x@y.io', template: 't' }]))).toBe('x@y.io');
    expect(emailRecipient(call(['https://app.example/reset?token=t', 'Ada <a@b.io>']))).toBe('Ada <a@b.io>');
    expect(emailRecipient(call([{ to: 'x@y.io' }, 'reply@z.io']))).toBe('x@y.io');
    expect(emailRecipient(call(['Welcome aboard', 'not an address']))).toBeUndefined();
    expect(emailTemplate('sendWelcome')(call([{ templateId: 'tpl-9' }]))).toBe('tpl-9');
    expect(emailTemplate('sendWelcome')(call(['a@b.io', 'Hello there']))).toBe('sendWelcome');
    // A null field is not set: the next name is read, not the method's name.
    expect(emailTemplate('sendWelcome')(call([{ template: null, templateId: 'tpl-9' }]))).toBe('tpl-9');
  });

  it('read file type and size from a Multer file, a Buffer, or the result', () => {
    const multer = { originalname: 'cv.pdf', mimetype: 'application/pdf', size: 100 };
    expect([fileType(call([multer])), fileSize(call([multer]))]).toEqual(['application/pdf', 100]);
    expect(fileSize(call([Buffer.alloc(12)]))).toBe(12);
    expect(fileSize(call(['key'], new Uint8Array(3)))).toBe(3);
    expect(fileSize(call([new ArrayBuffer(8)]))).toBe(8);
    expect([fileType(call(['key'], { contentType: 'image/png', fileSize: 9 })), fileSize(call(['key'], { contentType: 'image/png', fileSize: 9 }))]).toEqual(['image/png', 9]);
  });

  it('read the status of responses and of errors of the common HTTP clients', () => {
    expect(responseStatus(call([], { status: 201 }))).toBe(201);
    expect(responseStatus(call([], { statusCode: 404 }))).toBe(404);
    expect(responseStatus(call([], { status: 'ok' }))).toBeUndefined();
    expect(errorStatus(new HttpException('x', 418))).toBe(418);
    expect(errorStatus({ response: { status: 503 } })).toBe(503);
    expect(errorStatus({ statusCode: 429 })).toBe(429);
    expect(errorStatus('boom')).toBeUndefined();
  });

  it('never throw while describing an error, even a hostile one', () => {
    const hostile = {
      getStatus() {
        throw new Error('no');
      },
    };
    expect(errorStatus(hostile)).toBeUndefined();
  });
});
