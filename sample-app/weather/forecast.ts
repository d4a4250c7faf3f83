export interface Forecast {
  city: string;
  days: Array<{ date: string; minC: number; maxC: number; summary: string }>;
}

const SUMMARIES = ['sunny', 'partly cloudy', 'cloudy', 'light rain', 'showers', 'windy'];

/** Cities the stub knows; any other name is a 404, so the failure path is one curl away. */
export const KNOWN_CITIES = ['Berlin', 'Lisbon', 'London', 'Nairobi', 'Paris', 'Tokyo', 'Toronto'];

/** A made-up but stable three-day forecast: the same city and day always give the same numbers. */
export function forecastFor(city: string, today: Date = new Date()): Forecast | undefined {
  const name = KNOWN_CITIES.find((c) => c.toLowerCase() === city.trim().toLowerCase());
  if (!name) return undefined;
  const days = [0, 1, 2].map((offset) => {
    const date = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + offset));
    const seed = hash(`${name}:${date.toISOString().slice(0, 10)}`);
    const minC = (seed % 15) - 2;
    return { date: date.toISOString().slice(0, 10), minC, maxC: minC + 4 + (seed % 7), summary: SUMMARIES[seed % SUMMARIES.length]! };
  });
  return { city: name, days };
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}
