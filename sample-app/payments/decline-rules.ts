/**
 * How the fake provider decides, following Stripe's test cards so the README's examples read
 * familiar: 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 lacks funds, a number that fails
 * the Luhn check is incorrect; every other card is approved.
 */
export type DeclineCode = 'card_declined' | 'insufficient_funds' | 'incorrect_number';

const DECLINED_CARDS: Readonly<Record<string, DeclineCode>> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
};

export function declineCode(cardNumber: string): DeclineCode | undefined {
  const digits = cardNumber.replace(/[\s-]/g, '');
  if (!/^\d{12,19}$/.test(digits) || !passesLuhn(digits)) return 'incorrect_number';
  return DECLINED_CARDS[digits];
}

export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}
