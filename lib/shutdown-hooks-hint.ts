import type { ResolvedOptions } from './analytics-options.resolver.js';

export interface ShutdownFacts {
  options: ResolvedOptions;
  /** Queued events are kept on disk (a spool): a process stopped at once loses none. */
  spooled: boolean;
  /** `process.listenerCount('SIGTERM')` when checked. */
  sigtermListeners: number;
  /** The process's environment. */
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * How long after bootstrap the app is checked for a `SIGTERM` listener. Not at bootstrap itself:
 * a short-lived app (a CLI command, a job, an app a test boots) is never stopped by a signal and
 * would only get noise, and an app may install its own handler after `listen()`.
 */
export const SHUTDOWN_HOOKS_CHECK_DELAY_MS = 30_000;

/**
 * Nest handles no signal unless `app.enableShutdownHooks()` is called. Without a `SIGTERM`
 * listener, the signal that `docker stop`, a Kubernetes rollout or systemd sends ends the process
 * at once, running no code at all: every event still queued is lost, and nothing can even say so.
 * So it is said beforehand, for destinations that deliver out of the process and without a
 * spool; undefined when there is nothing to say. Not on AWS Lambda, which freezes the process
 * between invocations instead of signalling it (the README asks for a flush per invocation there).
 */
export function missingShutdownHooksHint({ options, spooled, sigtermListeners, env }: ShutdownFacts): string | undefined {
  if (!options.enabled || spooled || sigtermListeners > 0 || env.AWS_LAMBDA_FUNCTION_NAME !== undefined) return undefined;
  const destination = options.destination;
  if (!('send' in destination) && (destination.type === 'memory' || destination.type === 'console')) return undefined;
  return (
    'no SIGTERM listener: stopping this process with SIGTERM (docker stop, a Kubernetes rollout, systemd) ends it at once, ' +
    'losing the events still queued. Call app.enableShutdownHooks() before app.listen(), or set spool to keep them'
  );
}
