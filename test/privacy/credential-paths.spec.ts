import { endpointWithoutCredentials, withoutPathCredentials } from '../../lib/privacy/credential-paths.js';

const CREDENTIAL_PATHS: Array<[host: string, path: string, expected: string]> = [
  ['hooks.slack.com', '/services/T024BE7LD/B08ABCDE12F/Xq8vNz4tLp2Rk7Ws9Yb3Hc1M', '/services/T024BE7LD/B08ABCDE12F/[REDACTED]'],
  ['discord.com', '/api/webhooks/1187654321098765432/aB3dE5fG7hI9jK1lM3nO5pQ7', '/api/webhooks/1187654321098765432/[REDACTED]'],
  ['discordapp.com', '/api/v10/webhooks/1187654321098765432/aB3dE5fG7hI9/slack', '/api/v10/webhooks/1187654321098765432/[REDACTED]/slack'],
  ['ptb.discord.com', '/api/webhooks/11/tok', '/api/webhooks/11/[REDACTED]'],
  ['api.telegram.org', '/bot6123456789:AAHk3lJd9-QwErTyUiOpAsDfGhJkLzXcVbN/sendMessage', '/bot[REDACTED]/sendMessage'],
  ['api.telegram.org', '/file/bot6123456789:AAHk3lJd9/photos/file_1.jpg', '/file/bot[REDACTED]/photos/file_1.jpg'],
  ['contoso.webhook.office.com', '/webhookb2/9f8e7d6c@72f9/IncomingWebhook/5a4b3c2d/1e0f9a8b', '/webhookb2/[REDACTED]'],
];

describe('withoutPathCredentials', () => {
  it.each(CREDENTIAL_PATHS)('%s%s → %s', (host, path, expected) => {
    expect(withoutPathCredentials(host, path)).toBe(expected);
  });

  it.each([
  ['api.slack.com', '/api/chat.postMessage'],
  ['hooks.slack.com', '/'],
  ['discord.com', '/api/v10/channels/123/messages'],
  ['api.telegram.org', '/'],
  ['api.stripe.com', '/v1/services/T1/B2/x'],
  ])('keeps other paths: %s%s', (host, path) => {
    expect(withoutPathCredentials(host, path)).toBe(path);
  });
});

describe('endpointWithoutCredentials', () => {
  it.each(CREDENTIAL_PATHS)('redacts an absolute URL on %s%s', (host, path, expected) => {
    expect(endpointWithoutCredentials('notifier', `https://${host}${path}`)).toBe(`https://${host}${expected}`);
  });

  it.each([
    ['svc', 'https://user:pw@HOOKS.slack.com:443/services/T0/B0/secret', 'https://user:pw@HOOKS.slack.com:443/services/T0/B0/[REDACTED]'],
    ['hooks.slack.com', '/services/T0/B0/secret', '/services/T0/B0/[REDACTED]'],
    ['slack', '/services/T0/B0/secret', '/services/T0/B0/[REDACTED]'],
    ['Telegram', '/bot61234:AAHk3lJd9/sendMessage', '/bot[REDACTED]/sendMessage'],
    ['discord-alerts', '/api/webhooks/11/tok', '/api/webhooks/11/[REDACTED]'],
    ['msteams', '/webhookb2/9f8e@72f9/IncomingWebhook/5a4b/1e0f', '/webhookb2/[REDACTED]'],
    ['telegram', 'http://localhost:8081/bot61234:AAHk3lJd9/getMe', 'http://localhost:8081/bot[REDACTED]/getMe'],
  ])('redacts a path of a service named by its host or its name: %s %s', (service, endpoint, expected) => {
    expect(endpointWithoutCredentials(service, endpoint)).toBe(expected);
  });

  it.each(CREDENTIAL_PATHS)('leaves what withoutPathCredentials redacted as it is: %s%s', (host, path) => {
    const once = withoutPathCredentials(host, path);
    expect(endpointWithoutCredentials(host, once)).toBe(once);
  });

  it.each([
    ['stripe', '/v1/services/T1/B2/x'],
    ['stripe', 'https://api.stripe.com/v1/services/T1/B2/x'],
    ['weather', 'https://api.example.com/bot123/x'],
    ['github', '/bots/123'],
    ['slack', '/api/chat.postMessage'],
    ['weather', 'https://api.example.com/users/ada@example.com/orders'],
  ])('keeps other endpoints: %s %s', (service, endpoint) => {
    expect(endpointWithoutCredentials(service, endpoint)).toBe(endpoint);
  });
});
