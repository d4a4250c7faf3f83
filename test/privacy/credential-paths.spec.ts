import { withoutPathCredentials } from '../../lib/privacy/credential-paths.js';

describe('withoutPathCredentials', () => {
  it.each([
    ['hooks.slack.com', '/services/T024BE7LD/B08ABCDE12F/Xq8vNz4tLp2Rk7Ws9Yb3Hc1M', '/services/T024BE7LD/B08ABCDE12F/[REDACTED]'],
    ['discord.com', '/api/webhooks/1187654321098765432/aB3dE5fG7hI9jK1lM3nO5pQ7', '/api/webhooks/1187654321098765432/[REDACTED]'],
    ['discordapp.com', '/api/v10/webhooks/1187654321098765432/aB3dE5fG7hI9/slack', '/api/v10/webhooks/1187654321098765432/[REDACTED]/slack'],
    ['ptb.discord.com', '/api/webhooks/11/tok', '/api/webhooks/11/[REDACTED]'],
    ['api.telegram.org', '/bot6123456789:AAHk3lJd9-QwErTyUiOpAsDfGhJkLzXcVbN/sendMessage', '/bot[REDACTED]/sendMessage'],
    ['api.telegram.org', '/file/bot6123456789:AAHk3lJd9/photos/file_1.jpg', '/file/bot[REDACTED]/photos/file_1.jpg'],
    ['contoso.webhook.office.com', '/webhookb2/9f8e7d6c@72f9/IncomingWebhook/5a4b3c2d/1e0f9a8b', '/webhookb2/[REDACTED]'],
  ])('%s%s → %s', (host, path, expected) => {
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
