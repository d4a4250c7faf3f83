import { Body, Controller, Get, Post } from '@nestjs/common';
import { AnalyticsService } from '../lib/index.js';

@Controller()
export class AppController {
  constructor(private readonly analytics: AnalyticsService) {}

  @Get('health')
  health(): { status: string } {
    return { status: 'ok' };
  }

  @Post('api/events')
  custom(@Body() body: { event?: string; properties?: Record<string, unknown> }): { queued: boolean } {
    this.analytics.track(body?.event ?? 'Sample Event', body?.properties);
    return { queued: true };
  }
}
