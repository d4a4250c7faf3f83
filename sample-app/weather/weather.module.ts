import { Module } from '@nestjs/common';
import { WeatherClient } from './weather.client.js';
import { WeatherController } from './weather.controller.js';

@Module({
  controllers: [WeatherController],
  providers: [WeatherClient],
})
export class WeatherModule {}
