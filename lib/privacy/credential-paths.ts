import { REDACTED } from './redaction-markers.js';

interface PathRule {
  readonly host: RegExp;
  /** Service names apps give these calls (`@TrackExternalApi('slack', '/services/...')`), where no host is known. */
  readonly name: RegExp;
  readonly path: RegExp;
}

/**
 * Services whose URL path is itself the credential: a webhook or bot URL lets anyone who reads it
 * post as the app. `path` captures what stays (the service's fixed segments); the rest of the
 * matched text is the credential.
 */
const RULES: readonly PathRule[] = [
  // Slack incoming webhooks: /services/<team>/<bot>/<secret>
  { host: /^hooks\.slack\.com$/i, name: /slack/i, path: /^(\/services\/[^/]+\/[^/]+\/)[^/]+/ },
  // Discord webhooks: /api[/v10]/webhooks/<id>/<token>
  { host: /(?:^|\.)discord(?:app)?\.com$/i, name: /discord/i, path: /^(\/api(?:\/v\d+)?\/webhooks\/[^/]+\/)[^/]+/ },
  // Telegram bots: /bot<token>/<method>, /file/bot<token>/<path>
  { host: /^api\.telegram\.org$/i, name: /telegram/i, path: /^(\/(?:file\/)?bot)[^/]+/ },
  // Microsoft Teams connectors: /webhookb2/<ids>/IncomingWebhook/<secret>/<id>
  { host: /\.webhook\.office\.com$/i, name: /teams/i, path: /^(\/webhookb2\/).+/ },
];

/** `scheme://authority` (group 1, authority alone in group 2), then the path and the rest (group 3). */
const ABSOLUTE_URL = /^([a-z][a-z\d+.-]*:\/\/([^/?#]*))(.*)$/is;

/** `path` on `host` with the credential a webhook or bot URL carries replaced by "[REDACTED]". */
export function withoutPathCredentials(host: string, path: string): string {
  const rule = ruleForHost(host);
  return rule ? redact(rule, path) : path;
}

/**
 * The endpoint of an External API Call as an app names it — an absolute URL or a path — with the
 * credential redacted. A known URL host decides, else `service`: a host (`hooks.slack.com`) or a
 * name (`slack`; `telegram` also covers a self-hosted Bot API server, whose host is the app's
 * own). Idempotent: an endpoint `withoutPathCredentials` already redacted stays as it is.
 */
export function endpointWithoutCredentials(service: string, endpoint: string): string {
  const url = ABSOLUTE_URL.exec(endpoint);
  const rule = (url && ruleForHost(hostOf(url[2]))) ?? RULES.find((r) => r.host.test(service) || r.name.test(service));
  if (!rule) return endpoint;
  return url ? url[1] + redact(rule, url[3]) : redact(rule, endpoint);
}

function ruleForHost(host: string): PathRule | undefined {
  return RULES.find((r) => r.host.test(host));
}

function redact(rule: PathRule, path: string): string {
  return path.replace(rule.path, `$1${REDACTED}`);
}

/** `user:pass@[::1]:8080` → `::1`: the rules match host names only. */
function hostOf(authority: string): string {
  const host = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '');
  return host.startsWith('[') ? host.slice(1, -1) : host;
}
