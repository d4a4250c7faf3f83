import type { LoggerService } from '@nestjs/common';
import { createAnalytics } from '../../lib/create-analytics.js';
import { MemoryTransport } from '../../lib/transports/memory.transport.js';
import { memoryAnalytics } from '../support/memory-analytics.js';

const TAX_ID = '12-3456789';

describe('redact.keys in free text', () => {
  it('hides the value of a configured key in string properties and error messages', async () => {
    const { analytics, delivered, drops } = memoryAnalytics({ redact: { keys: ['tax_id'] } });
    analytics.track('Invoice Rejected', { note: `customer tax_id=${TAX_ID} rejected`, taxId: TAX_ID });
    await analytics.trackApiError(new Error(`validation failed: {"tax_id":"${TAX_ID}"}`));
    const events = await delivered();
    expect(drops).toEqual([]);
    expect(events.map((e) => e.event)).toEqual(['Invoice Rejected', 'Backend Error']);
    expect(events[0]!.properties).toMatchObject({ note: 'customer tax_id=[REDACTED] rejected', taxId: '[REDACTED]' });
    expect(events[1]!.properties.error_message).toBe('validation failed: {"tax_id":"[REDACTED]"}');
    expect(JSON.stringify(events)).not.toContain(TAX_ID);
  });

  it('hides it in drop reasons and in the log line that reports them', async () => {
    const logged: string[] = [];
    const log = (message: unknown) => void logged.push(String(message));
    const logger: LoggerService = { log, warn: log, error: log };
    const analytics = createAnalytics(
      {
        destination: new MemoryTransport(),
        redact: { keys: ['tax_id'] },
        beforeSend: () => {
          throw new Error(`tax_id=${TAX_ID} is not allowed`);
        },
      },
      { logger },
    );
    analytics.track('Invoice Rejected');
    await analytics.flush();
    expect(analytics.stats().dropped).toEqual({ before_send_failed: 1 });
    expect(logged.join('\n')).toContain('tax_id=[REDACTED] is not allowed');
    expect(logged.join('\n')).not.toContain(TAX_ID);

    const details: Array<string | undefined> = [];
    analytics.on('dropped', (d) => details.push(d.detail));
    analytics.track('Invoice Rejected');
    await analytics.flush();
    expect(details).toEqual([expect.stringContaining('tax_id=[REDACTED]')]);
    expect(details.join('\n')).not.toContain(TAX_ID);
    await analytics.shutdown();
  });

  it('is what the option adds: without it, such text is sent as written', async () => {
    const { analytics, delivered } = memoryAnalytics();
    analytics.track('Invoice Rejected', { note: `customer tax_id=${TAX_ID} rejected` });
    expect((await delivered())[0]!.properties.note).toBe(`customer tax_id=${TAX_ID} rejected`);
  });
});
