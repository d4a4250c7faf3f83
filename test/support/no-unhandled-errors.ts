/**
 * Installed for every test file: analytics must never cause an unhandled rejection or an
 * uncaught exception, so any that happens while a file runs fails that file.
 */
const seen: unknown[] = [];
const record = (error: unknown) => seen.push(error);

beforeAll(() => {
  process.on('unhandledRejection', record);
  process.on('uncaughtException', record);
});

afterAll(() => {
  process.off('unhandledRejection', record);
  process.off('uncaughtException', record);
  expect(seen).toEqual([]);
});
