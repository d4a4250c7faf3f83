import { emailAddress } from '../privacy/email.js';
import type { TrackedCall } from './tracked-call.interface.js';

/**
 * What the decorators record when no extractor is given: fields read from the shapes such
 * methods usually take or return (a DTO with `amount`/`currency`, a Multer file, an HTTP
 * response with `status`). They read named fields only — an argument is never recorded whole,
 * so `login(email, password)` leaves the password alone. Reads go through `prop`, which returns
 * undefined for anything that is not an object; a throwing getter surfaces as a failed extractor.
 */
export function prop(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function firstDefined(value: unknown, keys: readonly string[]): unknown {
  for (const key of keys) {
    const found = prop(value, key);
    if (found !== undefined && found !== null) return found;
  }
  return undefined;
}

/** The signed-in user's id from what a login returns: `userId`, `user.id` or `id`. */
export function authUserId({ result }: TrackedCall): unknown {
  return firstDefined(result, ['userId']) ?? prop(prop(result, 'user'), 'id') ?? prop(result, 'id');
}

/** A login that returns `null` or `false` (as Passport's `validate` does) is a failed attempt. */
export function authAccepted({ result }: TrackedCall): boolean {
  return result !== null && result !== false;
}

/** The thrown error's class name (`UnauthorizedException`); messages may carry user input. */
export function failureReason({ error }: TrackedCall): string | undefined {
  const name = prop(error, 'name');
  return typeof name === 'string' && name !== '' ? name : undefined;
}

/** `charge(amount, currency)`, `charge({ amount, currency })`, or the result's `amount`. */
export function paymentAmount({ args, result }: TrackedCall): unknown {
  const first = args[0];
  if (typeof first === 'number') return first;
  return prop(first, 'amount') ?? prop(result, 'amount');
}

export function paymentCurrency({ args, result }: TrackedCall): unknown {
  if (typeof args[0] === 'number' && typeof args[1] === 'string') return args[1];
  return prop(args[0], 'currency') ?? prop(result, 'currency');
}

/**
 * `send(to, ...)` with an address or a list, `send({ to, ... })`, or `sendReset(link, to)`: a
 * string that is not an address (a link, a subject) is passed over rather than taken for one.
 */
export function emailRecipient({ args }: TrackedCall): unknown {
  const [first, ...rest] = args;
  if (isAddressArgument(first)) return first;
  return prop(first, 'to') ?? rest.find(isAddressArgument);
}

function isAddressArgument(value: unknown): boolean {
  return (typeof value === 'string' || Array.isArray(value)) && emailAddress(value) !== undefined;
}

/** `send({ template })` / `send({ templateId })`, else the method's name (`sendWelcomeEmail`). */
export function emailTemplate(methodName: string): (call: TrackedCall) => unknown {
  return ({ args }) => firstDefined(args[0], ['template', 'templateId']) ?? methodName;
}

const FILE_TYPE_KEYS = ['mimetype', 'mimeType', 'contentType', 'fileType', 'type'] as const;
const FILE_SIZE_KEYS = ['size', 'fileSize'] as const;

/** From the first argument (a Multer file, `{ mimetype }`), else from the result. */
export function fileType({ args, result }: TrackedCall): unknown {
  return firstDefined(args[0], FILE_TYPE_KEYS) ?? firstDefined(result, FILE_TYPE_KEYS);
}

/** A Buffer's length, a Multer file's `size`, from the first argument, else from the result. */
export function fileSize({ args, result }: TrackedCall): unknown {
  return sizeOf(args[0]) ?? sizeOf(result);
}

function sizeOf(value: unknown): unknown {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.byteLength;
  return firstDefined(value, FILE_SIZE_KEYS);
}

/** The status of the response returned (`status`, `statusCode`), or of the error thrown. */
export function responseStatus({ result, error }: TrackedCall): number | undefined {
  if (error !== undefined) return errorStatus(error);
  const status = prop(result, 'status') ?? prop(result, 'statusCode');
  return Number.isInteger(status) ? (status as number) : undefined;
}

/**
 * The HTTP status an error carries: Nest's `getStatus()`, `status`/`statusCode` (undici, got),
 * or axios' `response.status`. Never throws: it also describes errors the app threw.
 */
export function errorStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  try {
    const e = error as { getStatus?: unknown; status?: unknown; statusCode?: unknown; response?: unknown };
    const status = typeof e.getStatus === 'function' ? e.getStatus() : e.status ?? e.statusCode ?? prop(e.response, 'status');
    return Number.isInteger(status) ? (status as number) : undefined;
  } catch {
    return undefined;
  }
}
