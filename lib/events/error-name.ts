/**
 * `error_name`: the error's `name`, unless that is the generic `'Error'` a subclass inherited
 * without setting its own, as NestJS's `RpcException` and `WsException` and most
 * `class PaymentDeclined extends Error {}` do: then the subclass's name, which is what tells such
 * errors apart. A value that is not an object gives its type (`'string'`, `'undefined'`).
 */
export function errorName(error: unknown): string {
  if (typeof error !== 'object' || error === null) return typeof error;
  const { name } = error as { name?: unknown };
  if (typeof name !== 'string') return typeof error;
  if (name !== 'Error') return name;
  const ctor = (error as { constructor?: unknown }).constructor;
  const className = typeof ctor === 'function' ? ctor.name : undefined;
  return typeof className === 'string' && className !== '' && className !== 'Object' ? className : name;
}
