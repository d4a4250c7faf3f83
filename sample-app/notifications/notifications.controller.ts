import { BadGatewayException, BadRequestException, Body, Controller, Post } from '@nestjs/common';
import { RequestBody } from '../config/request-body.js';
import { FakeMailerService, MailRejectedError } from './fake-mailer.service.js';

const TEMPLATES = ['welcome', 'password_reset', 'receipt'];

@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly mailer: FakeMailerService) {}

  /** 201 `{ sent: true, messageId }`; 502 when the mail server rejects the recipient. */
  @Post('email')
  async email(@Body() body: unknown): Promise<{ sent: true; messageId: string }> {
    const input = new RequestBody(body);
    const to = input.email('to');
    const template = input.text('template', { max: 50 });
    if (!TEMPLATES.includes(template)) throw new BadRequestException(`template: expected one of ${TEMPLATES.join(', ')}`);
    try {
      const { messageId } = await this.mailer.send({ to, template });
      return { sent: true, messageId };
    } catch (error) {
      if (error instanceof MailRejectedError) throw new BadGatewayException('The mail server rejected the recipient');
      throw error;
    }
  }
}
