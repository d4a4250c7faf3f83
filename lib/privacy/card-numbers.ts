/** Card numbers in text and in numeric values, told apart from ids and timestamps by their shape and checksum. */
import { REDACTED_CARD } from './redaction-markers.js';

/** A run of digit groups separated by single spaces or dashes; card candidates are picked out of it. */
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;

export function redactCardNumbers(text: string): string {
  return text.replace(DIGIT_RUN, redactCards);
}

/**
 * Cards are 13–19 digits, written as one group or as groups of 3–6 digits (4-4-4-4, Amex 4-6-5)
 * with possibly a shorter last group.
 * Inside a longer run ("2024 4111 1111 1111 1111") every window of whole groups is tried, longest
 * first; a single group longer than 19 digits is an id, not a card, and is kept, and so are digits
 * glued to letters. Luhn-valid 13-digit millisecond timestamps are redacted too: the checksum is all
 * there is to tell them apart, and a lost timestamp costs less than a leaked card.
 */
function redactCards(run: string, offset: number, text: string): string {
  if (run.length < 13) return run;
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < run.length; i++) {
    starts.push(i);
    while (i < run.length && run.charCodeAt(i) !== 32 && run.charCodeAt(i) !== 45) i++;
    ends.push(i);
  }
  // A first or last group glued to letters is part of an identifier; the groups between can still be a card.
  if (isWordLetter(text.charCodeAt(offset + run.length))) ends.pop();
  let out = '';
  let copied = 0;
  for (let g = isWordLetter(text.charCodeAt(offset - 1)) ? 1 : 0; g < ends.length; g++) {
    const last = cardWindowEnd(run, starts, ends, g);
    if (last < 0) continue;
    out += run.slice(copied, starts[g]) + REDACTED_CARD;
    copied = ends[last];
    g = last;
  }
  return copied === 0 ? run : out + run.slice(copied);
}

/**
 * Index of the last group of the longest Luhn-valid card starting at group `first`, or -1. Groups
 * have 3–6 digits, except the last, which may be shorter (4-4-4-1 for 13 digits).
 */
function cardWindowEnd(run: string, starts: readonly number[], ends: readonly number[], first: number): number {
  const firstLength = ends[first] - starts[first];
  if (firstLength >= 13) return firstLength <= 19 && luhnValid(run.slice(starts[first], ends[first])) ? first : -1;
  if (firstLength < 3 || firstLength > 6) return -1;
  let digits = run.slice(starts[first], ends[first]);
  let best = -1;
  for (let g = first + 1; g < ends.length; g++) {
    const length = ends[g] - starts[g];
    if (length > 6 || digits.length + length > 19) break;
    digits += run.slice(starts[g], ends[g]);
    if (digits.length >= 13 && luhnValid(digits)) best = g;
    if (length < 3) break;
  }
  return best;
}

/** Digits glued to letters belong to an identifier (UUID, hash, hex id), not to a card. */
function isWordLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95;
}

/**
 * A number that holds a card: 15 or 16 digits (Amex, Visa, Mastercard, Discover; longer ones are
 * past the exact integers), a card network's first digit (2–6), a valid checksum. Millisecond and
 * microsecond timestamps (13 digits, or starting with 1) are kept, so a `Date.now()` never goes.
 */
export function isCardNumber(value: number): boolean {
  if (!(value >= 1e14 && value < 1e16) || !Number.isInteger(value)) return false;
  const digits = String(value);
  const first = digits.charCodeAt(0);
  return first >= 50 && first <= 54 && luhnValid(digits);
}

/** The Luhn (mod 10) checksum used by card numbers. False for an empty string or any non-digit. */
export function luhnValid(digits: string): boolean {
  if (digits.length === 0) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return false;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}
