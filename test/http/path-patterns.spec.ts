import { compilePathPatterns, normalisePath } from '../../lib/http/path-patterns.js';

describe('compilePathPatterns (api.exclude)', () => {
  const matcher = (patterns: unknown) => {
    const { matches, problems } = compilePathPatterns(patterns, 'api.exclude');
    expect(problems).toEqual([]);
    return matches;
  };

  it.each([
    ['/health', '/health', true],
    ['/health', '/health/', true],
    ['/health', '/health?verbose=1', true],
    ['/health', '/healthz', false],
    ['/health', '/api/health', false],
    ['/internal/*', '/internal/metrics/cpu', true],
    ['/internal/*', '/internal', false],
    ['/metrics*', '/metrics', true],
    ['/metrics*', '/metrics.json', true],
    ['/users/:id/avatar', '/users/42/avatar', true],
    ['/users/:id/avatar', '/users/42/x/avatar', false],
    ['/users/:id/avatar', '/users//avatar', false],
    ['/a.b(c)', '/a.b(c)', true],
    ['/a.b(c)', '/aXb(c)', false],
    ['/', '/', true],
    ['/', '/x', false],
    ['/health', '/HEALTH', true],
    ['/Internal/*', '/internal/metrics', true],
  ])('%s against %s is %s', (pattern, path, expected) => {
    expect(matcher([pattern])(path)).toBe(expected);
  });

  it('a RegExp is tested against the path, and a global one gives the same answer every time', () => {
    const matches = matcher([/^\/v\d+\/ping$/g]);
    expect([matches('/v1/ping'), matches('/v1/ping'), matches('/v1/ping')]).toEqual([true, true, true]);
    expect(matches('/v1/pong')).toBe(false);
  });

  it('several patterns: any of them', () => {
    const matches = matcher(['/health', /^\/ready/]);
    expect([matches('/health'), matches('/ready/db'), matches('/users')]).toEqual([true, true, false]);
  });

  it('nothing given matches nothing', () => {
    expect(matcher(undefined)('/anything')).toBe(false);
    expect(matcher([])('/anything')).toBe(false);
  });

  it('names each bad pattern with its index and value', () => {
    const { problems, matches } = compilePathPatterns(['/ok', 'health', 42, null], 'api.exclude');
    expect(problems).toEqual([
      `api.exclude[1]: got "health", expected a path starting with '/' (e.g. '/health' or '/internal/*') or a RegExp`,
      `api.exclude[2]: got number, expected a path starting with '/' (e.g. '/health' or '/internal/*') or a RegExp`,
      `api.exclude[3]: got null, expected a path starting with '/' (e.g. '/health' or '/internal/*') or a RegExp`,
    ]);
    expect(matches('/ok')).toBe(true);
    expect(compilePathPatterns('/health', 'api.exclude').problems).toEqual([
      "api.exclude: expected an array of path patterns ('/health', '/internal/*') or RegExps, got string",
    ]);
  });

  it('normalisePath drops query, fragment and trailing slashes but keeps the root', () => {
    expect(normalisePath('/a/b/?x=1')).toBe('/a/b');
    expect(normalisePath('/a#top')).toBe('/a');
    expect(normalisePath('/')).toBe('/');
    expect(normalisePath('///')).toBe('/');
  });

  it('refuses wildcards that could overlap, so no client path can make matching backtrack', () => {
    const { problems } = compilePathPatterns(['/a*b', '/files/:name.json', '/x/:a-:b'], 'api.exclude');
    expect(problems).toEqual([
      `api.exclude[0]: got "/a*b", expected '*' only at the end of the pattern (e.g. '/internal/*')`,
      `api.exclude[1]: got "/files/:name.json", expected each ':name' to be a whole segment (e.g. '/users/:id/avatar')`,
      `api.exclude[2]: got "/x/:a-:b", expected each ':name' to be a whole segment (e.g. '/users/:id/avatar')`,
    ]);
  });

  // Its speed is not measured here (timed tests fail on a loaded machine); a backtracking matcher
  // would not finish these within the test timeout.
  it('matches long hostile paths correctly', () => {
    const matches = matcher(['/:a/:b/:c/x*']);
    expect(matches(`/${'a/'.repeat(20_000)}`)).toBe(false);
    expect(matches(`/a/b/c/${'a/'.repeat(20_000)}x`)).toBe(false);
    expect(matches(`/a/b/c/x${'a/'.repeat(20_000)}`)).toBe(true);
  });
});
