// A loopback ingest that speaks enough of Jitsu, Segment and PostHog for every SDK in the
// benchmarks to deliver to it. It parses every body (gunzipping when asked), counts events per
// protocol and per event name and, by messageId/uuid, the duplicates (an event without an id is
// counted as unique and in `missingIds`: its duplicates cannot be seen). `stalled` mode reads
// requests and never answers.
import http from 'node:http';
import { gunzipSync } from 'node:zlib';

/** Paths each SDK posts to (read from their code in node_modules), with the answer each service gives. */
const ROUTES = [
  { protocol: 'jitsu-batch', match: (p) => p === '/api/s/s2s/batch', events: (b) => b?.batch, id: 'messageId', answer: (n) => ({ ok: true, receivedEvents: n, okEvents: n }) },
  { protocol: 'jitsu-single', match: (p) => p.startsWith('/api/s/s2s/'), events: (b) => [b], id: 'messageId', answer: () => ({ ok: true }) },
  { protocol: 'segment', match: (p) => p === '/v1/batch', events: (b) => b?.batch, id: 'messageId', answer: () => ({ success: true }) },
  { protocol: 'posthog', match: (p) => p === '/batch/' || p === '/batch', events: (b) => b?.batch, id: 'uuid', answer: () => ({ status: 1 }) },
];

function emptyCounters() {
  return { requests: 0, gzipRequests: 0, events: 0, unique: 0, duplicates: 0, missingIds: 0, bytes: 0, badBodies: 0 };
}

/** Distinct events per event name (`API Call`, …): what a bench offered, apart from anything else an SDK sends. */
function countByName(byEvent, event) {
  const name = typeof event?.event === 'string' ? event.event : String(event?.type ?? '(none)');
  byEvent[name] = (byEvent[name] ?? 0) + 1;
}

export function createSink({ mode = 'healthy' } = {}) {
  let counters = new Map();
  let seen = new Set();
  let unknownRequests = 0;
  let stalledOpen = 0;
  const stalled = new Set();

  const countersFor = (protocol) => {
    let c = counters.get(protocol);
    if (!c) counters.set(protocol, (c = { ...emptyCounters(), byEvent: {} }));
    return c;
  };

  const server = http.createServer({ keepAliveTimeout: 30_000, requestTimeout: 0, headersTimeout: 0 }, (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = req.method === 'POST' ? ROUTES.find((r) => r.match(path)) : undefined;
    if (mode === 'stalled') {
      if (route) countersFor(route.protocol).requests++;
      stalledOpen++;
      stalled.add(res);
      req.resume();
      res.on('close', () => {
        stalledOpen--;
        stalled.delete(res);
      });
      return;
    }
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      chunks.push(chunk);
      size += chunk.length;
    });
    req.on('end', () => {
      if (!route) {
        unknownRequests++;
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"unknown path"}');
        return;
      }
      const c = countersFor(route.protocol);
      c.requests++;
      c.bytes += headerBytes(req) + size;
      const gzipped = /gzip/i.test(req.headers['content-encoding'] ?? '');
      if (gzipped) c.gzipRequests++;
      let events;
      try {
        const raw = Buffer.concat(chunks, size);
        events = route.events(JSON.parse((gzipped ? gunzipSync(raw) : raw).toString('utf8')));
        if (!Array.isArray(events)) throw new Error('no events');
      } catch {
        c.badBodies++;
        res.writeHead(400, { 'content-type': 'application/json' }).end('{"ok":false,"error":"bad body"}');
        return;
      }
      for (const event of events) {
        c.events++;
        const id = event?.[route.id];
        if (typeof id === 'string' && id !== '' && seen.has(id)) c.duplicates++;
        else {
          c.unique++;
          countByName(c.byEvent, event);
          if (typeof id === 'string' && id !== '') seen.add(id);
          else c.missingIds++;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(route.answer(events.length)));
    });
  });
  // Peers open thousands of sockets against a stalled sink; running out of descriptors must not
  // crash it (the SDK sees the refused connection, which is what the benchmark reports).
  server.on('error', () => undefined);
  server.on('clientError', (_error, socket) => socket.destroy());

  return {
    server,
    listen: () => new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port))),
    reset() {
      counters = new Map();
      seen = new Set();
      unknownRequests = 0;
    },
    stats() {
      const byProtocol = Object.fromEntries(counters);
      const total = { ...emptyCounters(), byEvent: {} };
      for (const c of counters.values()) {
        for (const k of Object.keys(emptyCounters())) total[k] += c[k];
        for (const [name, n] of Object.entries(c.byEvent)) total.byEvent[name] = (total.byEvent[name] ?? 0) + n;
      }
      return { mode, byProtocol, total, unknownRequests, stalledOpen };
    },
    close() {
      for (const res of stalled) res.destroy();
      server.closeAllConnections?.();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** Request line plus headers as they crossed the wire (undici and fetch send HTTP/1.1). */
function headerBytes(req) {
  let n = req.method.length + 1 + req.url.length + 11 + 2;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) n += raw[i].length + 2 + raw[i + 1].length + 2;
  return n;
}
