/** A configuration problem found at bootstrap: names the option, the bad value and what is expected. */
export class AnalyticsConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid nestjs-jitsu-analytics configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'AnalyticsConfigError';
  }
}
