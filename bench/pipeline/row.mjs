// One pipeline row, in its own process: `node row.mjs <adapter> <json config>`. Warms up, then
// runs the workload `runs` times against the sink (reset before each run) and sends per-run
// measurements to the parent.
import { offer } from '../lib/workload.mjs';
import { resetSink, sinkStats } from '../lib/sink-control.mjs';
import { startRssSampler } from '../lib/rss-sampler.mjs';
import { sendResult } from '../lib/child-runner.mjs';
import { EVENT_NAME } from '../lib/workload.mjs';

const [adapterName, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
// The kernel's high-water mark only: sampling /proc every 10 ms would cost each row CPU.
const rss = startRssSampler(0);
const { create } = await import(`./adapters/${adapterName}.mjs`);
const sdk = create({ sinkUrl: config.sinkUrl, options: config.options });

const runs = [];
if (config.warmup > 0) {
  await offer(config.warmup, config.burst, sdk.track);
  await sdk.flush();
}
for (let r = 0; r < config.runs; r++) {
  await resetSink(config.controlUrl);
  global.gc?.();
  const cpu = process.cpuUsage();
  const started = process.hrtime.bigint();
  const { nsPerCall, meanNsPerCall, offerMs } = await offer(config.events, config.burst, sdk.track);
  await sdk.flush();
  const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const sink = await sinkStats(config.controlUrl);
  runs.push({
    nsPerCall,
    meanNsPerCall,
    offerMs,
    elapsedMs,
    cpuUsPerEvent: (used.user + used.system) / config.events,
    // Only the offered events: anything else an SDK sends on its own (a system sample, a
    // lifecycle event) must not hide a lost one.
    delivered: sink.total.byEvent[EVENT_NAME] ?? 0,
    otherEvents: sink.total.unique - (sink.total.byEvent[EVENT_NAME] ?? 0),
    missingIds: sink.total.missingIds,
    received: sink.total.events,
    duplicates: sink.total.duplicates,
    requests: sink.total.requests,
    bytes: sink.total.bytes,
    gzipRequests: sink.total.gzipRequests,
    badBodies: sink.total.badBodies,
    unknownRequests: sink.unknownRequests,
  });
}
const report = sdk.report();
await sdk.close();
sendResult({ runs, peakRss: rss.peak(), report });
