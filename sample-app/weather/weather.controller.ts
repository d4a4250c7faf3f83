import { BadRequestException, Controller, Get, Query } from '@nestjs/common';
import type { Forecast } from './forecast.js';
import { WeatherClient } from './weather.client.js';

@Controller('api/weather')
export class WeatherController {
  constructor(private readonly weather: WeatherClient) {}

  @Get()
  forecast(@Query('city') city?: string): Promise<Forecast> {
    if (!city || city.length > 100) throw new BadRequestException('city: expected a city name, e.g. ?city=Berlin');
    return this.weather.forecast(city);
  }
}
