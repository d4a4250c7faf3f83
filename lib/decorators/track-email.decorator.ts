import { emailEvent } from '../events/event-builders.js';
import { Verbatim } from '../events/sanitize.js';
import { emailAddress } from '../privacy/email.js';
import { DecoratorArguments } from './decorator-arguments.js';
import { emailRecipient, emailTemplate } from './default-extractors.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, recordKind, succeeded } from './record-helpers.js';
import type { FieldOption, TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

/** An address as mailers take it: a string, nodemailer's `{ name, address }`, or a list of those. */
export type EmailRecipient = string | { address: string; name?: string } | ReadonlyArray<string | { address: string; name?: string }>;

export interface TrackEmailOptions extends TrackOptionsBase {
  /**
   * The recipient. Only its domain is recorded (`recipient_domain`), unless `includeRecipient`.
   * Default: the first argument if it is an address or a list of them, else the first argument's
   * `to`, else the first later argument that is an address or a list of them.
   */
  to?: FieldOption<EmailRecipient>;
  /** `email_template`. Default: the first argument's `template`/`templateId`, else the method's name. */
  template?: FieldOption<string>;
  /** `email_provider` (`ses`, `sendgrid`...). Default: none. */
  provider?: FieldOption<string>;
  /**
   * Also record the full address, as the `recipient` property (exempt from the e-mail scrubbing
   * every other string gets): the address alone (`"Ada" <ada@example.com>` → `ada@example.com`),
   * and nothing when `to` holds no address, since whatever it holds would leave unscrubbed.
   * Default false: only the domain leaves the process.
   */
  includeRecipient?: boolean;
}

const OPTIONS = ['to', 'template', 'provider', 'includeRecipient', ...COMMON_OPTIONS] as const;

/**
 * One `Email Send` event per call (`email_events`): `email_template`, `email_success`,
 * `recipient_domain`, `email_provider`, `duration_ms`. A throw also adds a `Backend Error` with
 * `error_source: 'email'`. Subjects and bodies are never recorded.
 *
 * ```ts
 * @TrackEmail({ template: 'welcome', provider: 'ses' })
 * sendWelcome(to: string, name: string): Promise<void> { ... }
 * ```
 */
export function TrackEmail(options?: TrackEmailOptions): TrackingDecorator {
  return trackingDecorator('TrackEmail', (site) => {
    const check = new DecoratorArguments('TrackEmail', site.label);
    const opts = check.options(options, OPTIONS);
    const readers = commonReaders(check, opts, site.label);
    const to = check.field('to', opts.to, 'recipient', emailRecipient);
    const template = check.field('template', opts.template, 'text', emailTemplate(site.methodName));
    const provider = check.field('provider', opts.provider, 'text');
    const includeRecipient = check.flag('includeRecipient', opts.includeRecipient);
    check.done();
    return {
      decorator: 'TrackEmail',
      site: site.label,
      errorSource: 'email',
      record(core, reader, durationMs, failed) {
        const success = succeeded(readers, reader, failed);
        const recipient = reader.field('to', to);
        const extra = extraProperties(core, readers, reader);
        const address = includeRecipient ? emailAddress(recipient) : undefined;
        const built = emailEvent(recipient, reader.field('template', template), success, {
          ...extra,
          ...(address === undefined ? undefined : { recipient: new Verbatim(address) }),
          provider: reader.field('provider', provider),
          durationMs,
        });
        recordKind(core, built, reader.field('userId', readers.userId));
      },
    };
  });
}
