// autocannon in its own process, so the load generator does not share an event loop with the app
// under test: `node load-process.mjs <json options>`; the summary comes back over IPC.
import autocannon from 'autocannon';

const options = JSON.parse(process.argv[2]);
const result = await autocannon(options);
process.send(
  {
    type: 'result',
    result: {
      requestsPerSec: result.requests.average,
      total: result.requests.total,
      p50: result.latency.p50,
      p99: result.latency.p99,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
    },
  },
  () => process.exit(0),
);
