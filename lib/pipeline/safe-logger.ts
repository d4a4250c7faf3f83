import type { LoggerService } from '@nestjs/common';

type LogMethod = 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';

/**
 * The app's logger, wrapped so that one that throws (a closed stream, a full disk, a bug in a
 * custom logger) never throws into the app's call or stops a delivery: the line is lost, nothing
 * else. Optional methods stay absent when the logger has none.
 */
export function safeLogger(logger: LoggerService): LoggerService {
  const call =
    (method: LogMethod) =>
    (message: unknown, ...rest: unknown[]): void => {
      try {
        (logger[method] as ((...args: unknown[]) => unknown) | undefined)?.call(logger, message, ...rest);
      } catch {
        // Nowhere left to report it: the logger is the reporting channel.
      }
    };
  const safe: LoggerService = { log: call('log'), error: call('error'), warn: call('warn') };
  for (const method of ['debug', 'verbose', 'fatal'] as const) {
    if (typeof logger[method] === 'function') safe[method] = call(method);
  }
  return safe;
}
