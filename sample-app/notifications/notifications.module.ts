import { Module } from '@nestjs/common';
import { FakeMailerService } from './fake-mailer.service.js';
import { NotificationsController } from './notifications.controller.js';

@Module({
  controllers: [NotificationsController],
  providers: [FakeMailerService],
})
export class NotificationsModule {}
