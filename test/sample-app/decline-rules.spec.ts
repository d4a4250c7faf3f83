import { declineCode, passesLuhn } from '../../sample-app/payments/decline-rules.js';

describe("the fake card processor's decisions", () => {
  it.each([
    ['4242424242424242', undefined],
    ['4242 4242 4242 4242', undefined],
    ['5555-5555-5555-4444', undefined],
    ['4000000000000002', 'card_declined'],
    ['4000000000009995', 'insufficient_funds'],
    ['4242424242424241', 'incorrect_number'],
    ['12345', 'incorrect_number'],
    ['not a card', 'incorrect_number'],
  ])('%s → %s', (card, code) => {
    expect(declineCode(card)).toBe(code);
  });

  it('implements the Luhn check', () => {
    expect(['79927398713', '4111111111111111', '378282246310005'].map(passesLuhn)).toEqual([true, true, true]);
    expect(['79927398710', '4111111111111112'].map(passesLuhn)).toEqual([false, false]);
  });
});
