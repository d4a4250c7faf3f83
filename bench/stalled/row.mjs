// One row of the stalled-destination bench, in its own process: offers EVENTS events (bursts of
// BURST per turn) to an SDK whose sink never answers, within a time budget and an RSS cap (so a
// peer that buffers without bound cannot take the machine down), then holds a few seconds and
// reports peak RSS and what the SDK says it dropped and holds.
import { offer } from '../lib/workload.mjs';
import { startRssSampler } from '../lib/rss-sampler.mjs';
import { sendProgress, sendResult } from '../lib/child-runner.mjs';

const [adapterName, configJson] = process.argv.slice(2);
const config = JSON.parse(configJson);
const rss = startRssSampler();
const { create } = await import(`../pipeline/adapters/${adapterName}.mjs`);
const sdk = create({ sinkUrl: config.sinkUrl, options: config.options });
// The peers send with the global fetch, whose implementation (Node's bundled undici, ~10 MiB of
// RSS) loads on the first call; this library imports undici when it loads. Load it for every row
// before the baseline (a refused connection), so it counts as growth for none of them.
await fetch('http://127.0.0.1:1/').catch(() => undefined);
// After the SDK is loaded and created: what grows from here is what the events cost.
const baselineRss = rss.current();
let stoppedBy;
const deadline = Date.now() + config.offerBudgetMs;
let offered = 0;
const progressTimer = setInterval(() => sendProgress({ offered, baselineRss, peakRss: rss.peak() }), 500);
progressTimer.unref();
const track = (i) => {
  if (stoppedBy) return;
  if ((i & 1023) === 0) {
    if (rss.current() > config.rssCapBytes) stoppedBy = `RSS cap (${Math.round(config.rssCapBytes / 2 ** 20)} MiB)`;
    else if (Date.now() > deadline) stoppedBy = `time budget (${config.offerBudgetMs / 1000} s)`;
    if (stoppedBy) return;
  }
  sdk.track(i);
  offered++;
};
const started = Date.now();
await offer(config.events, config.burst, track);
const offerMs = Date.now() - started;
// What the SDK does with a dead destination over the next seconds (retries, timers, buffers).
await new Promise((resolve) => setTimeout(resolve, config.holdMs));
const report = sdk.report();
clearInterval(progressTimer);
sendResult({ offered, offerMs, stoppedBy, baselineRss, peakRss: rss.peak(), endRss: rss.current(), report });
