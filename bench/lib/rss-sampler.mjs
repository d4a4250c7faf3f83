// Peak resident memory of this process: sampled every `intervalMs` (0: not sampled), and the
// kernel's own high-water mark (getrusage maxRSS), whichever is higher — a synchronous burst can
// outrun the sampler. maxRSS alone is exact and free; sampling adds the current value over time.
// Reading RSS opens /proc/self/stat: a process out of file descriptors (a peer holding thousands
// of sockets) falls back to the high-water mark instead of crashing.
export function startRssSampler(intervalMs = 10) {
  const maxRss = () => process.resourceUsage().maxRSS * 1024;
  const read = () => {
    try {
      return process.memoryUsage.rss();
    } catch {
      return maxRss();
    }
  };
  let peak = read();
  const timer =
    intervalMs > 0
      ? setInterval(() => {
          const rss = read();
          if (rss > peak) peak = rss;
        }, intervalMs)
      : undefined;
  timer?.unref();
  return {
    current: read,
    peak: () => Math.max(peak, read(), maxRss()),
    stop: () => clearInterval(timer),
  };
}
