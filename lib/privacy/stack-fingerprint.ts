import { createHash } from 'node:crypto';

/**
 * Groups errors by where they were thrown, not by their message (which carries ids and values):
 * the error's name plus its top frames, each reduced to function name and a path that is the same
 * on every machine and every deploy (no absolute prefix, no line or column, no cache-busting query).
 * The price of surviving moved lines: two throws of the same error type in one function, reached
 * through the same calls, share a fingerprint. A different function, file or call path does not.
 */
const FRAME_LIMIT = 5;
const FINGERPRINT_LENGTH = 16;
/** Stacks are read up to this length; the top frames are always near the start. */
const MAX_STACK_LENGTH = 16_384;

const V8_FRAME = /^\s+at\s+(.*)$/;
/** Firefox, Safari and Bun: `fn@file:line:col` (used only when no V8 frame is found). */
const GECKO_FRAME = /^\s*([^@\s]*)@(.+:\d+(?::\d+)?)$/;
const AS_ALIAS = / \[as [^\]]*\]$/;
const LINE_COLUMN = /:\d+(?::\d+)?(?=$|[),])/g;
const QUERY_OR_HASH = /[?#][^\s),]*/g;
const FILE_URL = /file:\/\//g;
const DRIVE_AFTER_SLASH = /(^|\()\/(?=[A-Za-z]:\/)/g;
const INTERNAL = /^(?:node:|internal\/|native$)/;

interface Frame {
  readonly fn: string;
  readonly location: string;
}

/**
 * First 16 hex characters of the SHA-1 of name and top frames, or undefined when the value has no
 * stack frames to place it (a thrown string, an object without `stack`, `stackTraceLimit = 0`).
 * `root` is the directory stripped from paths outside node_modules; it defaults to the cwd.
 */
export function stackFingerprint(error: unknown, root?: string): string | undefined {
  try {
    if (error === null || (typeof error !== 'object' && typeof error !== 'function')) return undefined;
    const { name, stack } = error as { name?: unknown; stack?: unknown };
    if (typeof stack !== 'string' || stack === '') return undefined;
    const frames = topFrames(parseFrames(stack.slice(0, MAX_STACK_LENGTH)));
    if (frames.length === 0) return undefined;
    const base = normaliseRoot(root ?? currentDirectory());
    const lines = frames.map((f) => `${f.fn} ${normaliseLocation(f.location, base)}`);
    const text = `${typeof name === 'string' ? name : 'Error'}\n${lines.join('\n')}`;
    return createHash('sha1').update(text).digest('hex').slice(0, FINGERPRINT_LENGTH);
  } catch {
    // Getters that throw, revoked proxies: no fingerprint rather than an error about an error.
    return undefined;
  }
}

export function parseFrames(stack: string): Frame[] {
  const lines = stack.split('\n');
  const frames: Frame[] = [];
  for (const line of lines) {
    const match = V8_FRAME.exec(line);
    if (match) frames.push(parseV8Frame(match[1].trimEnd()));
  }
  if (frames.length > 0) return frames;
  for (const line of lines) {
    const match = GECKO_FRAME.exec(line.trimEnd());
    if (match) frames.push({ fn: match[1], location: match[2] });
  }
  return frames;
}

function parseV8Frame(text: string): Frame {
  let body = text;
  if (body.startsWith('async ')) body = body.slice(6);
  if (body.startsWith('new ')) body = body.slice(4);
  const open = body.indexOf(' (');
  if (open < 0 || !body.endsWith(')')) return { fn: '', location: body };
  return { fn: body.slice(0, open).replace(AS_ALIAS, ''), location: body.slice(open + 2, -1) };
}

/** Node's own frames change between Node versions; they count only when there is nothing else. */
function topFrames(frames: readonly Frame[]): readonly Frame[] {
  const own = frames.filter((f) => !INTERNAL.test(f.location));
  return (own.length > 0 ? own : frames).slice(0, FRAME_LIMIT);
}

function normaliseLocation(location: string, root: string): string {
  let loc = location
    .replace(/\\/g, '/')
    .replace(FILE_URL, '')
    .replace(DRIVE_AFTER_SLASH, '$1')
    .replace(QUERY_OR_HASH, '')
    .replace(LINE_COLUMN, '');
  const modules = loc.lastIndexOf('node_modules/');
  if (modules >= 0) return loc.slice(modules + 'node_modules/'.length);
  if (root !== '') loc = loc.split(`${root}/`).join('');
  return loc;
}

/** Forward slashes, no trailing slash; the filesystem root becomes '' (nothing to strip). */
function normaliseRoot(root: string): string {
  return root.replace(/\\/g, '/').replace(/\/+$/, '');
}

function currentDirectory(): string {
  try {
    return process.cwd();
  } catch {
    // process.cwd() throws when the working directory was deleted under the process.
    return '';
  }
}
