import { wildcardMatcher } from '../../lib/http/wildcard-patterns.js';

describe('wildcardMatcher', () => {
  it.each([
    ['orders.*.created', 'orders.7.created', true],
    ['orders.*.created', 'orders.7.8.created', false],
    ['orders.*.created', 'orders..created', false],
    ['orders.*.created', 'orders.7.updated', false],
    ['orders.>', 'orders.7', true],
    ['orders.>', 'orders.7.created', true],
    ['orders.>', 'orders', false],
    ['orders.#', 'orders', true],
    ['orders.#', 'orders.7.created', true],
    ['#', 'orders.7', true],
    ['*', 'orders', true],
    ['*', 'orders.7', false],
    ['orders/+/created', 'orders/7/created', true],
    ['orders/+/created', 'orders/7/8/created', false],
    ['orders/#', 'orders', true],
    ['orders/#', 'orders/7/created', true],
    ['orders/#', 'ordersx/7', false],
    ['a.b+c.*', 'a.b+c.d', true],
    ['a.b+c.*', 'a.bbc.d', false],
  ])('%s against %s: %s', (pattern, subject, matches) => {
    expect(wildcardMatcher(pattern)?.(subject)).toBe(matches);
  });

  it.each([['orders.get'], ['orders/get'], ['orders.>.created'], ['orders.#.created'], ['{"cmd":"sum"}'], ['OrdersService/FindOne']])(
    'sees no wildcard in %s',
    (pattern) => {
      expect(wildcardMatcher(pattern)).toBeUndefined();
    },
  );
});
