import type { LoggerService } from '@nestjs/common';

/** A Nest `LoggerService` keeping every line, with its extra parameters (an Error's stack too), as text. */
export class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, ...rest: unknown[]): void {
    this.keep('log', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.keep('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.keep('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.keep('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.keep('verbose', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.keep('fatal', message, rest);
  }

  private keep(level: string, message: unknown, rest: unknown[]): void {
    this.lines.push([level, message, ...rest].map(asText).join(' '));
  }
}

/** Everything an error exposes to whoever logs it: message, stack and causes. */
export function errorText(error: unknown, depth = 0): string {
  if (!(error instanceof Error) || depth > 3) return String(error);
  const cause = error.cause === undefined ? '' : `\ncaused by ${errorText(error.cause, depth + 1)}`;
  return `${error.name}: ${error.message}\n${error.stack}${cause}`;
}

function asText(part: unknown): string {
  if (part instanceof Error) return errorText(part);
  if (typeof part === 'string') return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}
