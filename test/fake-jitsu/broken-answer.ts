import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { BodyFraming, BrokenAnswer } from './misbehaviour-script.js';

/** The answer the protocol would give (a 200 with its body), which a broken answer mangles. */
export interface IntendedAnswer {
  status: number;
  headers: OutgoingHttpHeaders;
  payload: string;
}

export interface BrokenAnswerHooks {
  /** A timer the fake server cancels when it goes down, so no trickle outlives it. */
  schedule(run: () => void, ms: number): NodeJS.Timeout;
  /** The whole body is about to be written: only a trickle ever gets there. */
  completed(): void;
}

/**
 * Writes the headers of `intended` and then breaks its body as `broken` says. A cut body is half
 * the real one, so a client that ignores the framing sees JSON that does not parse rather than a
 * plausible shorter answer.
 */
export function writeBrokenAnswer(res: ServerResponse, intended: IntendedAnswer, broken: BrokenAnswer, hooks: BrokenAnswerHooks): void {
  const body = Buffer.from(intended.payload);
  switch (broken.kind) {
    case 'cut-body':
      // Node frames a body without a length as chunks unless told not to.
      if (broken.framing === 'close-delimited') res.removeHeader('transfer-encoding');
      res.writeHead(intended.status, { ...intended.headers, ...framingHeaders(broken.framing, body.length) });
      // Destroyed only once the half is flushed, or the client might get no body byte at all.
      res.write(body.subarray(0, Math.floor(body.length / 2)), () => res.socket?.destroy());
      return;
    case 'hang-after-headers':
      res.writeHead(intended.status, { ...intended.headers, 'content-length': body.length });
      // Without a flush Node holds the headers back until the first body byte, which never comes.
      res.flushHeaders();
      return;
    case 'trickle':
      res.writeHead(intended.status, { ...intended.headers, 'content-length': body.length });
      res.flushHeaders();
      trickle(res, body, broken.byteEveryMs, hooks);
  }
}

function framingHeaders(framing: BodyFraming, length: number): OutgoingHttpHeaders {
  if (framing === 'content-length') return { 'content-length': length };
  if (framing === 'chunked') return { 'transfer-encoding': 'chunked' };
  return { connection: 'close' };
}

/** One byte per tick: every gap stays short, so only a deadline on the whole answer ends it early. */
function trickle(res: ServerResponse, body: Buffer, byteEveryMs: number, hooks: BrokenAnswerHooks): void {
  let sent = 0;
  const next = (): void => {
    if (res.destroyed) return;
    const byte = body.subarray(sent, ++sent);
    if (sent < body.length) {
      res.write(byte);
      hooks.schedule(next, byteEveryMs);
      return;
    }
    // Recorded before the last byte goes out, as a normal answer is: a client that has read it all finds it recorded.
    hooks.completed();
    res.end(byte);
  };
  hooks.schedule(next, byteEveryMs);
}
