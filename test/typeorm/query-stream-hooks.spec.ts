import { AsyncLocalStorage } from 'node:async_hooks';
import { Readable } from 'node:stream';
import type { DataSource } from 'typeorm';
import { onQueryStreamed } from '../../lib/typeorm/query-stream-hooks.js';

/** The parts of a DataSource and its runners the hook touches, as TypeORM has them. */
class FakeRunner {
  readonly streams: Readable[] = [];
  stream(query: string): Promise<Readable> {
    if (query === 'unsupported') throw new Error('Stream is not supported by this driver.');
    // Its events are emitted by hand below: what the driver's socket would make it emit.
    const readable = new Readable({ read: () => undefined });
    this.streams.push(readable);
    return query === 'no connection' ? Promise.reject(new Error('connect ECONNREFUSED')) : Promise.resolve(readable);
  }
}

function fakeDataSource(runner = new FakeRunner()) {
  const dataSource = { createQueryRunner: () => runner };
  return { dataSource, runner, asDataSource: dataSource as unknown as DataSource };
}

type Heard = [query: string, durationMs: number, error: unknown];

/** A runner of a DataSource whose streamed statements are heard into `heard`. */
function listenedRunner() {
  const { dataSource, asDataSource } = fakeDataSource();
  const heard: Heard[] = [];
  onQueryStreamed(asDataSource, (...args) => heard.push(args));
  return { runner: dataSource.createQueryRunner(), heard };
}

describe('onQueryStreamed', () => {
  it("times a runner's stream until it ends, and hands back what stream() returns, untouched", async () => {
    const { runner, heard } = listenedRunner();
    const stream = await runner.stream('SELECT 1');
    expect(stream).toBe(runner.streams[0]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    stream.emit('end');
    stream.emit('close');
    expect(heard).toEqual([['SELECT 1', expect.any(Number), undefined]]);
    expect(heard[0][1]).toBeGreaterThanOrEqual(15);
  });

  it('hears a stream in the context stream() was called in, not the one its rows arrive in', async () => {
    const { dataSource, asDataSource } = fakeDataSource();
    const request = new AsyncLocalStorage<string>();
    const contexts: Array<string | undefined> = [];
    onQueryStreamed(asDataSource, () => contexts.push(request.getStore()));
    const runner = dataSource.createQueryRunner();
    const stream = await request.run('req-1', () => runner.stream('SELECT 1'));
    // The connection's socket delivers the last row: outside the request.
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        stream.emit('end');
        resolve();
      }, 1),
    );
    expect(contexts).toEqual(['req-1']);
  });

  it("records an error once, and throws it on as Node would when nobody else listens", async () => {
    const { runner, heard } = listenedRunner();
    const handled = await runner.stream('SELECT a');
    const seen: unknown[] = [];
    handled.on('error', (error) => seen.push(error));
    const first = new Error('no such table');
    handled.emit('error', first);
    handled.emit('end');
    expect(seen).toEqual([first]);

    const unhandled = await runner.stream('SELECT b');
    const second = new Error('connection lost');
    expect(() => unhandled.emit('error', second)).toThrow(second);
    expect(heard.map(([query, , error]) => [query, error])).toEqual([
      ['SELECT a', first],
      ['SELECT b', second],
    ]);
  });

  it('records a stream its reader closes before the end as done, and nothing for a stream that never started', async () => {
    const { runner, heard } = listenedRunner();
    (await runner.stream('SELECT early')).emit('close');
    expect(() => runner.stream('unsupported')).toThrow('Stream is not supported by this driver.');
    await expect(runner.stream('no connection')).rejects.toThrow('ECONNREFUSED');
    expect(heard.map(([query, , error]) => [query, error])).toEqual([['SELECT early', undefined]]);
  });

  it('wraps a runner handed out again once, and a listener that throws never reaches the reader', async () => {
    const { dataSource, asDataSource } = fakeDataSource();
    let calls = 0;
    onQueryStreamed(asDataSource, () => {
      calls += 1;
      throw new Error('recording failed');
    });
    const runner = dataSource.createQueryRunner();
    expect(dataSource.createQueryRunner()).toBe(runner);
    const stream = await runner.stream('SELECT 1');
    expect(() => stream.emit('end')).not.toThrow();
    expect(calls).toBe(1);
  });

  it('undoes itself: createQueryRunner is the one it found, and runners handed out before pass through', async () => {
    const { dataSource, asDataSource } = fakeDataSource();
    const own = dataSource.createQueryRunner;
    const heard: Heard[] = [];
    const undo = onQueryStreamed(asDataSource, (...args) => heard.push(args));
    const runner = dataSource.createQueryRunner();
    undo();
    expect(dataSource.createQueryRunner).toBe(own);
    (await runner.stream('SELECT 1')).emit('end');
    expect(heard).toEqual([]);
  });
});
