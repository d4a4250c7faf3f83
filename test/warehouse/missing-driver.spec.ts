import { jest } from '@jest/globals';

// better-sqlite3 as an application that never installed it sees it: the import fails as Node's does.
jest.unstable_mockModule('better-sqlite3', () => {
  throw Object.assign(new Error("Cannot find package 'better-sqlite3'"), { code: 'ERR_MODULE_NOT_FOUND' });
});

const { createWarehouseTransport } = await import('../../lib/transports/warehouse/warehouse.transport.js');
const { sampleEvent, toQueuedEvent } = await import('../support/sample-events.js');

describe('a warehouse whose driver is not installed', () => {
  // No retry can install a package: the batch is dropped at once, with the command that fixes it.
  it('fails the send without retrying, naming the package to install', async () => {
    const transport = createWarehouseTransport({ url: 'sqlite::memory:' });
    try {
      await expect(transport.send([toQueuedEvent(sampleEvent('api', 1))], new AbortController().signal)).rejects.toMatchObject({
        name: 'DeliveryError',
        retryable: false,
        message: expect.stringContaining('npm install better-sqlite3'),
      });
    } finally {
      await transport.close();
    }
  });
});
