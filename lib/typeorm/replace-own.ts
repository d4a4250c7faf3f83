/**
 * Puts `wrapped` in place of `target[key]` on that instance only. The returned function puts back
 * what was there (its own property, or none, so the class's method shows again) unless another
 * wrapper went on top meanwhile. A frozen instance keeps its method: nothing to undo.
 */
export function replaceOwn<K extends string>(target: Partial<Record<K, unknown>>, key: K, wrapped: unknown): () => void {
  const ownBefore = Object.hasOwn(target, key);
  const before = target[key];
  try {
    target[key] = wrapped;
  } catch {
    return () => undefined;
  }
  return () => {
    if (target[key] !== wrapped) return;
    if (ownBefore) target[key] = before;
    else delete target[key];
  };
}
