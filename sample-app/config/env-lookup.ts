/**
 * Reads one environment setting. The app passes `(name) => config.get(name)` from
 * `@nestjs/config`; tests pass a plain map, so the option builders are pure functions.
 */
export type EnvLookup = (name: string) => string | undefined;

/** An unset or blank variable counts as absent, as `FOO= npm start` means "no FOO". */
export function setting(env: EnvLookup, name: string): string | undefined {
  const value = env(name);
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  return text === '' ? undefined : text;
}
