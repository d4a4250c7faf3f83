import { authEvent } from '../events/event-builders.js';
import { DecoratorArguments } from './decorator-arguments.js';
import { authAccepted, authUserId, failureReason } from './default-extractors.js';
import { COMMON_OPTIONS, commonReaders, extraProperties, recordKind, succeeded } from './record-helpers.js';
import type { FieldOption, TrackOptionsBase } from './tracked-call.interface.js';
import { trackingDecorator, type TrackingDecorator } from './tracking-decorator.js';

export interface TrackAuthOptions extends TrackOptionsBase {
  /** `auth_method` (`password`, `google`, `magic_link`...). Default: none. */
  method?: FieldOption<string>;
  /**
   * `failure_reason` of a failed attempt. Default: the thrown error's name
   * (`UnauthorizedException`), never its message, which may echo what the user typed.
   */
  failureReason?: FieldOption<string>;
}

const OPTIONS = ['method', 'failureReason', ...COMMON_OPTIONS] as const;

/**
 * One `User Authentication` event per call (`authentication_events`): `auth_action`,
 * `auth_success`, `user_id`, `auth_method`, `failure_reason`. Arguments are never recorded, so
 * `login(email, password)` records neither. The user id defaults to the result's `userId`,
 * `user.id` or `id`, else to the user of the request the call is made in (a logout returns no
 * user); a `null`/`false` result counts as a failed attempt (the Passport `validate`
 * convention). A throw also adds a `Backend Error` with `error_source: 'auth'`.
 *
 * ```ts
 * @TrackAuth('login', { method: 'password' })
 * async login(email: string, password: string): Promise<{ user: User; token: string }> { ... }
 * ```
 */
export function TrackAuth(action: string, options?: TrackAuthOptions): TrackingDecorator {
  return trackingDecorator('TrackAuth', (site) => {
    const check = new DecoratorArguments('TrackAuth', site.label);
    const authAction = check.text('action', action);
    const opts = check.options(options, OPTIONS);
    const readers = commonReaders(check, opts, site.label, authUserId);
    const method = check.field('method', opts.method, 'text');
    const reason = check.field('failureReason', opts.failureReason, 'text', failureReason);
    check.done();
    return {
      decorator: 'TrackAuth',
      site: site.label,
      errorSource: 'auth',
      record(core, reader, _durationMs, failed) {
        const success = succeeded(readers, reader, failed, authAccepted(reader.call));
        // A logout or refresh returns no user: inside a request, the request's user is the one.
        const userId = reader.field('userId', readers.userId) ?? core.requestContext.get()?.userId;
        const extra = extraProperties(core, readers, reader);
        const built = authEvent(authAction, userId, success, {
          ...extra,
          method: reader.field('method', method),
          failureReason: success ? undefined : reader.field('failureReason', reason),
        });
        recordKind(core, built, userId);
      },
    };
  });
}
