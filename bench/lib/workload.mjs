// The pipeline workload: N `API Call` track events offered as fast as the SDK takes them, in
// bursts of `burst` calls per event-loop turn (a busy server emits events from many requests per
// turn, and every SDK needs the loop to send), then flushed.

export const EVENT_NAME = 'API Call';
export const USER_ID = 'user-42';

/** The properties of one `API Call`, as this library's interceptor records them. */
function buildProperties(i) {
  return {
    event_action: 'api_request',
    method: 'GET',
    path: `/api/products/${i % 1000}`,
    route: '/api/products/:id',
    status_code: 200,
    duration_ms: 3.2,
    user_agent: 'autocannon',
    ip_address: '127.0.0.0',
    controller: 'ProductsController',
    handler: 'findOne',
  };
}

/**
 * Built before the clock starts and reused (1000 distinct paths), so a row measures the SDK's
 * cost and not the caller's object allocation. No SDK here mutates what it is given; reusing an
 * object gives it the same content every time.
 */
const PROPERTIES = Array.from({ length: 1000 }, (_, i) => buildProperties(i));

export function apiCallProperties(i) {
  return PROPERTIES[i % 1000];
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Calls `track(i)` for i in [0, n), `burst` calls per turn. Returns the cost of a call on the
 * application's path two ways: the median over bursts (robust to the OS preempting the process
 * on a shared machine, and to the occasional GC pause), and the plain mean (which keeps both).
 */
export async function offer(n, burst, track) {
  const perBurst = [];
  let insideNs = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < n; ) {
    const end = Math.min(n, i + burst);
    const count = end - i;
    const t = process.hrtime.bigint();
    for (; i < end; i++) track(i);
    const ns = Number(process.hrtime.bigint() - t);
    insideNs += ns;
    perBurst.push(ns / count);
    await turn();
  }
  perBurst.sort((a, b) => a - b);
  return {
    nsPerCall: perBurst[Math.floor(perBurst.length / 2)],
    meanNsPerCall: insideNs / n,
    offerMs: Number(process.hrtime.bigint() - started) / 1e6,
  };
}
