import { REDACTED } from './scrub-string.js';

interface PathRule {
  readonly host: RegExp;
  readonly path: RegExp;
}

/**
 * Services whose URL path is itself the credential: a webhook or bot URL lets anyone who reads it
 * post as the app. `path` captures what stays (the service's fixed segments); the rest of the
 * matched text is the credential.
 */
const RULES: readonly PathRule[] = [
  // Slack incoming webhooks: /services/<team>/<bot>/<secret>
  { host: /^hooks\.slack\.com$/i, path: /^(\/services\/[^/]+\/[^/]+\/)[^/]+/ },
  // Discord webhooks: /api[/v10]/webhooks/<id>/<token>
  { host: /(?:^|\.)discord(?:app)?\.com$/i, path: /^(\/api(?:\/v\d+)?\/webhooks\/[^/]+\/)[^/]+/ },
  // Telegram bots: /bot<token>/<method>, /file/bot<token>/<path>
  { host: /^api\.telegram\.org$/i, path: /^(\/(?:file\/)?bot)[^/]+/ },
  // Microsoft Teams connectors: /webhookb2/<ids>/IncomingWebhook/<secret>/<id>
  { host: /\.webhook\.office\.com$/i, path: /^(\/webhookb2\/).+/ },
];

/** `path` on `host` with the credential a webhook or bot URL carries replaced by "[REDACTED]". */
export function withoutPathCredentials(host: string, path: string): string {
  for (const rule of RULES) {
    if (rule.host.test(host)) return path.replace(rule.path, `$1${REDACTED}`);
  }
  return path;
}
