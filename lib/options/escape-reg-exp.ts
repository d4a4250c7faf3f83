/** `text` as a RegExp source that matches it literally (option patterns, routes, broker subjects). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
