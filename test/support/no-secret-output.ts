/**
 * Installed for every test file: the write keys the suite configures must never be printed. While
 * a file runs, everything written to stdout/stderr (where Nest's ConsoleLogger writes) and through
 * `console` is checked for their secrets, and a file that printed one fails. Request bodies are
 * not output: the fake Jitsu server's 401 body echoes the key by design.
 */
const KNOWN_TEST_SECRETS: readonly string[] = [
  'test-secret', // FakeJitsuServer's default key 'test-key-id:test-secret'
  'super-secret-value',
];

const sightings: string[] = [];
const restore: Array<() => void> = [];

function inspect(where: string, chunk: unknown): void {
  let text: string;
  try {
    text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : String(chunk);
  } catch {
    return;
  }
  for (const secret of KNOWN_TEST_SECRETS) {
    if (text.includes(secret)) sightings.push(`${where}: ${text.split(secret).join('<SECRET>').slice(0, 300)}`);
  }
}

beforeAll(() => {
  for (const [name, stream] of [['stdout', process.stdout], ['stderr', process.stderr]] as const) {
    const original = stream.write;
    stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
      inspect(name, chunk);
      return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
    } as typeof stream.write;
    restore.push(() => {
      stream.write = original;
    });
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      for (const arg of args) inspect(`console.${method}`, arg instanceof Error ? `${arg.message}\n${arg.stack}` : arg);
      original.apply(console, args);
    };
    restore.push(() => {
      console[method] = original;
    });
  }
});

afterAll(() => {
  for (const undo of restore.splice(0)) undo();
  expect(sightings).toEqual([]);
});
