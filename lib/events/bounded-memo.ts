/** Adds to a bounded memo, forgetting its oldest entry when full. */
export function remember<T>(memo: Map<string, T>, key: string, value: T, size: number): T {
  if (memo.size >= size) memo.delete(memo.keys().next().value as string);
  memo.set(key, value);
  return value;
}
