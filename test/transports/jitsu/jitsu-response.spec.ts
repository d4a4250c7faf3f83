import { DeliveryError } from '../../../lib/transports/delivery-error.js';
import { secretsOf } from '../../../lib/transports/jitsu/body-excerpt.js';
import {
  classifyJitsuResponse,
  isRetryableStatus,
  type JitsuAnswer,
  type JitsuDeliveryResult,
  type JitsuRequestFacts,
} from '../../../lib/transports/jitsu/jitsu-response.js';

const WRITE_KEY = 'key-id-7Qx:s3cr3t-Zk9-value';
const SECRET = 's3cr3t-Zk9-value';
const IDS = ['0190a1b2-0000-7000-8000-000000000001', '0190a1b2-0000-7000-8000-000000000002', '0190a1b2-0000-7000-8000-000000000003'];

function facts(overrides: Partial<JitsuRequestFacts> = {}): JitsuRequestFacts {
  return {
    protocol: 'next',
    messageIds: new Set(IDS),
    secrets: secretsOf(WRITE_KEY),
    endpoint: 'http://jitsu.test:8080/api/s/s2s/batch',
    bytes: 1234,
    now: Date.parse('2025-03-01T12:00:00Z'),
    ...overrides,
  };
}

function answer(status: number, body: unknown = '', headers: JitsuAnswer['headers'] = {}): JitsuAnswer {
  return { status, headers, body: typeof body === 'string' ? body : JSON.stringify(body) };
}

function asError(outcome: JitsuDeliveryResult | DeliveryError): DeliveryError {
  if (!(outcome instanceof DeliveryError)) throw new Error(`expected a DeliveryError, got ${JSON.stringify(outcome)}`);
  return outcome;
}

function asResult(outcome: JitsuDeliveryResult | DeliveryError): JitsuDeliveryResult {
  if (outcome instanceof DeliveryError) throw new Error(`expected a result, got ${outcome.message}`);
  return outcome;
}

function expectNoSecret(error: DeliveryError): void {
  for (const text of [error.message, String(error), error.stack ?? '', JSON.stringify(error)]) {
    expect(text).not.toContain(WRITE_KEY);
    expect(text).not.toContain(SECRET);
  }
}

describe('classifyJitsuResponse: success', () => {
  it('200 ok:true is all sent', () => {
    expect(classifyJitsuResponse(answer(200, { ok: true, receivedEvents: 3, okEvents: 3 }), facts())).toEqual({});
  });

  it('treats an empty 2xx body as sent', () => {
    expect(classifyJitsuResponse(answer(204), facts())).toEqual({});
  });

  it('200 ok:false rejects exactly the ids named, with their reasons', () => {
    const body = {
      ok: false,
      receivedEvents: 3,
      okEvents: 1,
      errors: [
        `Message ID: ${IDS[0]}: event error: event name is longer than 128 characters`,
        `Message ID: ${IDS[2]}: event error: event is too large`,
      ],
    };
    const result = asResult(classifyJitsuResponse(answer(200, body), facts()));
    expect(result.rejected).toEqual([
      { messageId: IDS[0], reason: 'event error: event name is longer than 128 characters' },
      { messageId: IDS[2], reason: 'event error: event is too large' },
    ]);
    expect(result.warnings).toBeUndefined();
  });

  it('200 ok:false: events throttled by the quota or failed by the producer are sent again, the rest rejected', () => {
    const errors = [
      `Message ID: ${IDS[0]}: quota exceeded: billing quota exceeded, event throttled`,
      `Message ID: ${IDS[1]}: error# 42: producer error`,
      `Message ID: ${IDS[2]}: event error: Unknown event type: producer error throttled`,
    ];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, receivedEvents: 3, okEvents: 0, errors }), facts()));
    expect(result).toEqual({
      retry: [
        { messageId: IDS[0], reason: 'quota exceeded: billing quota exceeded, event throttled' },
        { messageId: IDS[1], reason: 'error# 42: producer error' },
      ],
      rejected: [{ messageId: IDS[2], reason: 'event error: Unknown event type: producer error throttled' }],
    });
  });

  it('200 ok:false: an event error that merely quotes "quota exceeded" is a rejection, not a reason to send again', () => {
    const errors = [`Message ID: ${IDS[0]}: event error: property "status" = "quota exceeded" is not allowed`];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, receivedEvents: 3, okEvents: 2, errors }), facts()));
    expect(result).toEqual({ rejected: [{ messageId: IDS[0], reason: 'event error: property "status" = "quota exceeded" is not allowed' }] });
  });

  it('ignores error lines naming ids outside the batch, and says so', () => {
    const body = {
      ok: false,
      receivedEvents: 3,
      okEvents: 2,
      errors: [`Message ID: not-in-batch: event error: nope`, `Message ID: ${IDS[1]}: event error: bad`, 'garbled line'],
    };
    const result = asResult(classifyJitsuResponse(answer(200, body), facts()));
    expect(result.rejected).toEqual([{ messageId: IDS[1], reason: 'event error: bad' }]);
    expect(result.warnings).toEqual([
      expect.stringContaining('not-in-batch'),
      expect.stringContaining('garbled line'),
    ]);
  });

  it('names each rejected id once even when Jitsu repeats it', () => {
    const errors = [`Message ID: ${IDS[0]}: event error: a`, `Message ID: ${IDS[0]}: event error: b`];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, receivedEvents: 3, okEvents: 2, errors }), facts()));
    expect(result.rejected).toEqual([{ messageId: IDS[0], reason: 'event error: a' }]);
  });

  it('rejects nothing but warns when ok:false names no event', () => {
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false }), facts()));
    expect(result.rejected).toBeUndefined();
    expect(result.warnings).toEqual([expect.stringContaining('ok:false without naming any event')]);
  });

  it('warns when Jitsu counts more failures than it names', () => {
    const errors = [`Message ID: ${IDS[0]}: event error: a`];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, receivedEvents: 3, okEvents: 0, errors }), facts()));
    expect(result.rejected).toHaveLength(1);
    expect(result.warnings).toEqual([expect.stringContaining('counted 3 rejected events but named 1')]);
  });

  it('tolerates odd id spellings: extra spaces, id at the end of the line, an id with a colon', () => {
    const ids = new Set(['a:b', 'plain', 'last']);
    const errors = ['Message ID:   plain :  event error: x', 'message id: last', 'Message ID: a:b: event error: y'];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, errors }), facts({ messageIds: ids })));
    expect(result.rejected?.map((r) => r.messageId).sort()).toEqual(['a:b', 'last', 'plain']);
  });

  it('scrubs the key out of per-event reasons and warnings', () => {
    const errors = [`Message ID: ${IDS[0]}: event error: key ${WRITE_KEY} bad`, `stray ${SECRET}`];
    const result = asResult(classifyJitsuResponse(answer(200, { ok: false, errors }), facts()));
    expect(JSON.stringify(result)).not.toContain(SECRET);
    expect(result.rejected?.[0].reason).toContain('[redacted]');
  });

  it("does not count a 2xx that is not Jitsu's answer as sent: an HTML page or another service's JSON is refused and announced", () => {
    for (const body of ['<html>Welcome to nginx</html>', { message: 'welcome' }]) {
      const error = asError(classifyJitsuResponse(answer(200, body), facts()));
      expect(error).toMatchObject({ status: 200, retryable: false, dropReason: 'rejected' });
      expect(error.message).toContain("with a body that is not Jitsu's");
      expect(error.message).toContain('check jitsuUrl');
    }
    expect(classifyJitsuResponse(answer(200, ''), facts())).toEqual({});
    expect(classifyJitsuResponse(answer(200, { ok: true, receivedEvents: 1, okEvents: 1 }), facts())).toEqual({});
  });

  // Classic answers every s2s request with a JSON object: an HTML page behind a 2xx is a web server
  // or proxy at jitsuUrl, and counting its events as sent would lose them without a drop.
  it("Classic: a 2xx whose body is not JSON is not Jitsu's answer either; a cut-short JSON answer is sent again", () => {
    const classic = facts({ protocol: 'classic', endpoint: 'http://jitsu.test:8080/api/v1/s2s/event' });
    const error = asError(classifyJitsuResponse(answer(200, '<html>Welcome to nginx</html>'), classic));
    expect(error).toMatchObject({ status: 200, retryable: false, dropReason: 'rejected' });
    expect(error.message).toContain('check jitsuUrl');
    expect(asError(classifyJitsuResponse(answer(200, '{"status":"o'), classic))).toMatchObject({ retryable: true });
    expect(classifyJitsuResponse(answer(200, ''), classic)).toEqual({});
  });

  it('Classic: a 2xx whose body is JSON but not an object is not Jitsu\'s answer', () => {
    const classic = facts({ protocol: 'classic', endpoint: 'http://jitsu.test:8080/api/v1/s2s/event' });
    for (const body of ['[]', '"ok"', 'null', '1']) {
      expect(asError(classifyJitsuResponse(answer(200, body), classic))).toMatchObject({ status: 200, retryable: false, dropReason: 'rejected' });
    }
  });

  it('Classic: 200 {"status":"ok"} is all sent, anything else warns', () => {
    expect(classifyJitsuResponse(answer(200, { status: 'ok' }), facts({ protocol: 'classic' }))).toEqual({});
    const odd = asResult(classifyJitsuResponse(answer(200, { status: 'partial' }), facts({ protocol: 'classic' })));
    expect(odd.warnings).toEqual([expect.stringContaining('without status "ok"')]);
  });

  it('Classic: a JSON object without a status is all sent, without a warning', () => {
    expect(classifyJitsuResponse(answer(200, {}), facts({ protocol: 'classic' }))).toEqual({});
  });
});

describe('classifyJitsuResponse: failures', () => {
  it('400 is final, rejected, with a short scrubbed excerpt of the body', () => {
    const body = { ok: false, error: `bad JSON near ${WRITE_KEY} and ${SECRET} ${'x'.repeat(500)}` };
    const error = asError(classifyJitsuResponse(answer(400, body), facts()));
    expect(error).toMatchObject({ status: 400, retryable: false, dropReason: 'rejected', tooLarge: false });
    expect(error.message).toContain('HTTP 400');
    expect(error.message).toContain('bad JSON near [redacted]');
    const excerpt = error.message.slice(error.message.indexOf(': ') + 2);
    expect(excerpt.length).toBeLessThanOrEqual(200);
    expectNoSecret(error);
  });

  it('400 scrubs JSON-escaped and URL-encoded spellings of the key too', () => {
    const key = 'id:sec"ret/+x';
    const body = `{"error":"token ${JSON.stringify(key).slice(1, -1)} or ${encodeURIComponent(key)}"}`;
    const error = asError(classifyJitsuResponse(answer(400, body), facts({ secrets: secretsOf(key) })));
    expect(error.message).not.toContain('sec\\"ret');
    expect(error.message).not.toContain(encodeURIComponent('sec"ret/+x'));
    expect(error.message).not.toContain('sec"ret');
  });

  it('strips control characters so a body cannot forge log lines', () => {
    const error = asError(classifyJitsuResponse(answer(400, 'line one\r\nFAKE LOG: admin logged in'), facts()));
    expect(error.message).not.toMatch(/[\r\n]/);
  });

  it.each([401, 403])('%i is unauthorized and never quotes the body or the key', (status) => {
    const body = { ok: false, error: `Invalid write key: ${WRITE_KEY}` };
    const error = asError(classifyJitsuResponse(answer(status, body), facts()));
    expect(error).toMatchObject({ status, retryable: false, dropReason: 'unauthorized' });
    expect(error.message).toBe(
      `Jitsu rejected the write key (HTTP ${status}): check writeKey — it must be a server-to-server key "keyId:secret"`,
    );
    expect(error.message).not.toContain('Invalid write key');
    expectNoSecret(error);
  });

  it('401 on Classic talks about the server token', () => {
    const error = asError(classifyJitsuResponse(answer(401, 'The token is not found: abc'), facts({ protocol: 'classic' })));
    expect(error.message).toContain('server token');
    expect(error.message).not.toContain('abc');
  });

  it('413 asks the pipeline to split', () => {
    const error = asError(classifyJitsuResponse(answer(413, 'too big'), facts()));
    expect(error).toMatchObject({ status: 413, retryable: false, tooLarge: true });
    expect(error.message).toContain('3 events, 1234 bytes');
  });

  it.each([402, 408, 429, 500, 502, 503, 504, 507, 520, 599])('%i is retryable and honours Retry-After', (status) => {
    const error = asError(classifyJitsuResponse(answer(status, '', { 'retry-after': '7' }), facts()));
    expect(error).toMatchObject({ status, retryable: true, retryAfterMs: 7000, tooLarge: false });
  });

  it('reads an HTTP-date Retry-After against the given clock', () => {
    const error = asError(classifyJitsuResponse(answer(503, '', { 'retry-after': 'Sat, 01 Mar 2025 12:00:02 GMT' }), facts()));
    expect(error.retryAfterMs).toBe(2000);
  });

  it('leaves retryAfterMs undefined without a usable header', () => {
    expect(asError(classifyJitsuResponse(answer(500, { ok: false, error: 'producer' }), facts())).retryAfterMs).toBeUndefined();
    expect(asError(classifyJitsuResponse(answer(429, '', { 'retry-after': 'later' }), facts())).retryAfterMs).toBeUndefined();
  });

  it('402 is described as a quota problem', () => {
    expect(asError(classifyJitsuResponse(answer(402), facts())).message).toContain('quota exceeded');
  });

  it.each([501, 505])('%i is final', (status) => {
    expect(asError(classifyJitsuResponse(answer(status), facts()))).toMatchObject({ status, retryable: false, dropReason: 'rejected' });
  });

  it.each([404, 405, 409, 410, 415, 422, 451])('other 4xx (%i) are final rejections', (status) => {
    expect(asError(classifyJitsuResponse(answer(status, 'nope'), facts()))).toMatchObject({
      status,
      retryable: false,
      tooLarge: false,
      dropReason: 'rejected',
    });
  });

  it('404 points at jitsuUrl and protocol', () => {
    const message = asError(classifyJitsuResponse(answer(404), facts())).message;
    expect(message).toContain('http://jitsu.test:8080/api/s/s2s/batch');
    expect(message).toContain('check jitsuUrl and protocol');
  });

  it.each([300, 301, 308])('a redirect (%i) is final and points at jitsuUrl: the events reached no Jitsu', (status) => {
    const error = asError(classifyJitsuResponse(answer(status, '', { location: 'https://elsewhere' }), facts()));
    expect(error).toMatchObject({ status, retryable: false, dropReason: 'rejected' });
    expect(error.message).toContain('check jitsuUrl');
  });

  it('5xx messages are scrubbed too', () => {
    const error = asError(classifyJitsuResponse(answer(500, `failed for ${WRITE_KEY}`), facts()));
    expectNoSecret(error);
  });
});

describe('isRetryableStatus', () => {
  it('matches the retry policy of DESIGN.md', () => {
    const retryable = [200, 301, 400, 401, 402, 403, 404, 408, 413, 429, 500, 501, 502, 503, 504, 505, 511].filter(isRetryableStatus);
    expect(retryable).toEqual([402, 408, 429, 500, 502, 503, 504, 511]);
  });
});
