import { BadGatewayException, Injectable, NotFoundException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Forecast } from './forecast.js';

/**
 * Calls the weather API with the global `fetch`. There is no analytics code here: with
 * `outboundHttp: { enabled: true }` the library sees the call through undici's diagnostics
 * channels and records an `External API Call` named by the `services` map.
 */
@Injectable()
export class WeatherClient {
  private readonly baseUrl: string;

  constructor(config: ConfigService) {
    this.baseUrl = config.getOrThrow<string>('WEATHER_API_URL');
  }

  async forecast(city: string): Promise<Forecast> {
    const url = `${this.baseUrl}/v1/forecast?city=${encodeURIComponent(city)}`;
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(5000) });
    } catch {
      throw new BadGatewayException('The weather service could not be reached');
    }
    if (response.status === 404) throw new NotFoundException(`No forecast for ${JSON.stringify(city)}`);
    if (!response.ok) throw new BadGatewayException(`The weather service answered ${response.status}`);
    return (await response.json()) as Forecast;
  }
}
