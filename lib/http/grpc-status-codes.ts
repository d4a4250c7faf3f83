/**
 * gRPC status codes, by number: their names, and the HTTP statuses Google's API guidelines map
 * them to (and grpc-gateway answers them with), so that `status_code` reads the same for every
 * transport, served or called. OK (0) is no error.
 */
const GRPC_CODES: ReadonlyArray<readonly [name: string, httpStatus: number]> = [
  ['OK', 200],
  ['CANCELLED', 499],
  ['UNKNOWN', 500],
  ['INVALID_ARGUMENT', 400],
  ['DEADLINE_EXCEEDED', 504],
  ['NOT_FOUND', 404],
  ['ALREADY_EXISTS', 409],
  ['PERMISSION_DENIED', 403],
  ['RESOURCE_EXHAUSTED', 429],
  ['FAILED_PRECONDITION', 400],
  ['ABORTED', 409],
  ['OUT_OF_RANGE', 400],
  ['UNIMPLEMENTED', 501],
  ['INTERNAL', 500],
  ['UNAVAILABLE', 503],
  ['DATA_LOSS', 500],
  ['UNAUTHENTICATED', 401],
];

export function isGrpcCode(code: unknown): code is number {
  return typeof code === 'number' && Number.isInteger(code) && code >= 0 && code < GRPC_CODES.length;
}

export function httpStatusOfGrpcCode(code: number): number {
  return GRPC_CODES[code][1];
}

export function grpcCodeName(code: number): string {
  return GRPC_CODES[code][0];
}
