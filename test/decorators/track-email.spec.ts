import 'reflect-metadata';
import { lastValueFrom, Observable, of } from 'rxjs';
import { TrackEmail } from '../../lib/decorators/track-email.decorator.js';
import { COMMON, decoratorHarness, only, type DecoratorHarness } from './support/decorator-harness.js';

class Mailer {
  @TrackEmail({ template: 'welcome', provider: 'ses' })
  async sendWelcome(to: string, name: string): Promise<void> {
    void name;
    await Promise.resolve();
  }

  @TrackEmail()
  send(message: { to: string | { name: string; address: string }[]; template: string; body: string }): { messageId: string } {
    return { messageId: `m-${message.template}` };
  }

  @TrackEmail({ includeRecipient: true })
  sendReceipt(message: { to: string; templateId: string }): string {
    return message.templateId;
  }

  @TrackEmail()
  sendPasswordReset(to: string): never {
    throw new Error(`mailbox ${to} is full`);
  }

  @TrackEmail({ to: ({ args }) => args[0].recipients, includeRecipient: true })
  sendDigest(batch: { recipients: string[] }): Observable<number> {
    return of(batch.recipients.length);
  }
}

const EMAIL = { ...COMMON, event_action: 'email_send' };

describe('@TrackEmail', () => {
  let h: DecoratorHarness;
  let mailer: Mailer;

  beforeEach(() => {
    h = decoratorHarness();
    mailer = h.bind(new Mailer());
  });
  afterEach(() => h.close());

  it('records the recipient\'s domain only, with the exact e-mail fields', async () => {
    await mailer.sendWelcome('Alice.Smith@Example.COM', 'Alice');
    const event = only(await h.events());
    expect(event.event).toBe('Email Send');
    expect(event.JITSU_TABLE_NAME).toBe('email_events');
    expect(event.properties).toEqual({
      ...EMAIL,
      email_template: 'welcome',
      email_success: true,
      recipient_domain: 'example.com',
      email_provider: 'ses',
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(event).toLowerCase()).not.toContain('alice');
  });

  it('reads to and template from a message object by default, and never its body', async () => {
    mailer.send({ to: [{ name: 'Bob', address: 'bob@corp.example.org' }], template: 'invoice', body: 'secret body text' });
    const event = only(await h.events());
    expect(event.properties).toEqual({
      ...EMAIL,
      email_template: 'invoice',
      email_success: true,
      recipient_domain: 'corp.example.org',
      duration_ms: expect.any(Number),
    });
    expect(JSON.stringify(event)).not.toContain('secret body');
    expect(JSON.stringify(event)).not.toContain('bob@');
  });

  it('adds the full address as `recipient` when includeRecipient is true, untouched by the e-mail scrubbing', async () => {
    mailer.sendReceipt({ to: 'carol@shop.example', templateId: 'receipt-v2' });
    expect(only(await h.events()).properties).toEqual({
      ...EMAIL,
      email_template: 'receipt-v2',
      email_success: true,
      recipient_domain: 'shop.example',
      recipient: 'carol@shop.example',
      duration_ms: expect.any(Number),
    });
  });

  it('records no `recipient` when includeRecipient is false', async () => {
    class Quiet {
      @TrackEmail({ includeRecipient: false })
      send(to: string): void {
        void to;
      }
    }
    h.bind(new Quiet()).send('dave@shop.example');
    const event = only(await h.events());
    expect(event.properties.recipient_domain).toBe('shop.example');
    expect(event.properties).not.toHaveProperty('recipient');
    expect(JSON.stringify(event)).not.toContain('dave@');
  });

  it('includes only an e-mail address as `recipient`, never another string argument such as a reset link', async () => {
    const link = 'https://app.example.com/reset?token=sk_live_51Habcdefghijklmnopqrstuvwx&password=hunter2';
    class Resets {
      @TrackEmail({ includeRecipient: true, template: 'reset' })
      sendReset(resetLink: string, to: string): void {
        void [resetLink, to];
      }

      @TrackEmail({ includeRecipient: true, to: ({ args }) => args[0] })
      sendTo(to: string): void {
        void to;
      }
    }
    const resets = h.bind(new Resets());
    resets.sendReset(link, 'ada@example.com');
    resets.sendTo(link);
    resets.sendTo('"Ada Lovelace" <ada@example.com>');
    const events = await h.events();
    expect(events.map((e) => [e.properties.recipient, e.properties.recipient_domain])).toEqual([
      ['ada@example.com', 'example.com'],
      [undefined, undefined],
      ['ada@example.com', 'example.com'],
    ]);
    expect(JSON.stringify(events)).not.toMatch(/sk_live|hunter2|reset\?|Lovelace/);
  });

  it('still cuts an included recipient at redact.maxStringLength', async () => {
    const short = decoratorHarness({ redact: { maxStringLength: 16 } });
    short.bind(new Mailer()).sendReceipt({ to: 'a.very.long.name@example.com', templateId: 't' });
    expect(only(await short.events()).properties.recipient).toBe('a.very.long.name…[truncated 12 chars]');
    expect(short.analytics.stats().warnings.truncated).toBe(1);
    await short.close();
  });

  it('still scrubs a recipient passed through `properties` when includeRecipient is not set', async () => {
    class Leaky {
      @TrackEmail({ properties: ({ args }) => ({ recipient: args[0] }) })
      sendNote(to: string): void {
        void to;
      }
    }
    h.bind(new Leaky()).sendNote('dave@example.net');
    expect(only(await h.events()).properties.recipient).toBe('[REDACTED]@example.net');
  });

  it('falls back to the method name as template, and records a failure with error_source email', async () => {
    expect(() => mailer.sendPasswordReset('erin@example.com')).toThrow('mailbox erin@example.com is full');
    const events = await h.events();
    expect(events[0]!.properties).toEqual({
      ...EMAIL,
      email_template: 'sendPasswordReset',
      email_success: false,
      recipient_domain: 'example.com',
      duration_ms: expect.any(Number),
    });
    expect(events[1]!.properties).toMatchObject({
      error_source: 'email',
      error_message: 'mailbox [REDACTED]@example.com is full',
    });
    expect(JSON.stringify(events)).not.toContain('erin');
  });

  it('times an Observable and records the first recipient of a list', async () => {
    await lastValueFrom(mailer.sendDigest({ recipients: ['frank@one.example', 'grace@two.example'] }));
    expect(only(await h.events()).properties).toMatchObject({
      email_template: 'sendDigest',
      recipient_domain: 'one.example',
      recipient: 'frank@one.example',
      email_success: true,
    });
  });
});
