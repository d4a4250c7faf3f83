/** What takes the place of a removed value, by what it was: a reader of the data can tell why it is gone. */
export const REDACTED = '[REDACTED]';
export const REDACTED_JWT = '[REDACTED_JWT]';
export const REDACTED_CARD = '[REDACTED_CARD]';
