import { forecastFor, KNOWN_CITIES } from '../../sample-app/weather/forecast.js';
import { WeatherStubServer } from '../../sample-app/weather/weather-stub.server.js';

describe('the weather API stub', () => {
  let stub: WeatherStubServer;
  beforeAll(async () => {
    stub = await WeatherStubServer.start();
  });
  afterAll(() => stub.close());

  it('answers a three-day forecast for a known city, the same one every time that day', async () => {
    const today = new Date(Date.UTC(2026, 4, 1));
    const forecast = forecastFor('berlin', today)!;
    expect(forecast.city).toBe('Berlin');
    expect(forecast.days.map((d) => d.date)).toEqual(['2026-05-01', '2026-05-02', '2026-05-03']);
    for (const d of forecast.days) expect(d.maxC).toBeGreaterThan(d.minC);
    expect(forecastFor('Berlin', today)).toEqual(forecast);
    expect(KNOWN_CITIES.map((c) => forecastFor(c, today)?.city)).toEqual(KNOWN_CITIES);
  });

  it('serves it over HTTP on a free local port, 404 for unknown cities and paths', async () => {
    expect(stub.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const ok = await fetch(`${stub.url}/v1/forecast?city=Tokyo`);
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { city: string }).city).toBe('Tokyo');
    const unknown = await fetch(`${stub.url}/v1/forecast?city=Atlantis`);
    expect([unknown.status, await unknown.json()]).toEqual([404, { error: 'unknown_city' }]);
    expect((await fetch(`${stub.url}/v2/anything`)).status).toBe(404);
  });

  it('closes on the application shutdown hook', async () => {
    const other = await WeatherStubServer.start();
    const url = other.url;
    await other.onApplicationShutdown();
    await expect(fetch(`${url}/v1/forecast?city=Paris`)).rejects.toThrow();
    await other.close();
  });
});
