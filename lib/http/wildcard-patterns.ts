import { escapeRegExp } from '../options/escape-reg-exp.js';

type Wildcard = 'one' | 'oneOrMore' | 'zeroOrMore';

/** NATS (`*` one token, `>` the rest) and RabbitMQ topics (`*` one word, `#` zero or more), on dots. */
const DOTTED = new Map<string, Wildcard>([
  ['*', 'one'],
  ['>', 'oneOrMore'],
  ['#', 'zeroOrMore'],
]);
/** MQTT topic filters: `+` one level, `#` zero or more, on slashes. */
const SLASHED = new Map<string, Wildcard>([
  ['+', 'one'],
  ['#', 'zeroOrMore'],
]);

/**
 * Whether a concrete subject or topic falls under a pattern a handler declares with wildcards,
 * as the brokers read them: NATS (`orders.*.created`, `orders.>`), RabbitMQ topics (`orders.#`)
 * and MQTT (`orders/+/created`, `orders/#`). A multi-level wildcard counts only as the last
 * token. Undefined for a pattern without wildcards.
 */
export function wildcardMatcher(pattern: string): ((subject: string) => boolean) | undefined {
  const separator = pattern.includes('/') ? '/' : '.';
  const wildcards = separator === '/' ? SLASHED : DOTTED;
  const tokens = pattern.split(separator);
  const kinds = tokens.map((token, i) => {
    const kind = wildcards.get(token);
    return kind === 'one' || i === tokens.length - 1 ? kind : undefined;
  });
  if (kinds.every((kind) => kind === undefined)) return undefined;
  const sep = escapeRegExp(separator);
  const word = `[^${sep}]+`;
  const source = tokens
    .map((token, i) => {
      const lead = i === 0 ? '' : sep;
      switch (kinds[i]) {
        case 'one':
          return lead + word;
        case 'oneOrMore':
          return `${lead}${word}(?:${sep}${word})*`;
        case 'zeroOrMore':
          return i === 0 ? `(?:${word}(?:${sep}${word})*)?` : `(?:${sep}${word})*`;
        default:
          return lead + escapeRegExp(token);
      }
    })
    .join('');
  const regex = new RegExp(`^${source}$`);
  return (subject) => regex.test(subject);
}
