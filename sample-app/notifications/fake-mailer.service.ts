import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { TrackEmail } from '../../lib/index.js';

export interface OutgoingEmail {
  to: string;
  template: string;
}

/** What an SMTP server answers for a recipient it will not deliver to. */
export class MailRejectedError extends Error {
  override readonly name = 'MailRejectedError';
}

/**
 * Stands in for an SMTP or e-mail API client. `.invalid` addresses (RFC 2606: they can never
 * exist) are rejected, so the failure path can be tried from the README. The decorator reads
 * `to` and `template` from the first argument and records only the recipient's domain.
 */
@Injectable()
export class FakeMailerService {
  @TrackEmail({ provider: 'fake-smtp' })
  async send(email: OutgoingEmail): Promise<{ messageId: string }> {
    await sleep(5 + Math.floor(Math.random() * 30));
    if (email.to.endsWith('.invalid')) throw new MailRejectedError('550 5.1.1 recipient domain does not exist');
    return { messageId: `<${randomUUID()}@sample-app.local>` };
  }
}
