import { Body, Controller, HttpException, HttpStatus, Post, Req, UseGuards } from '@nestjs/common';
import type { AuthenticatedRequest } from '../auth/public-user.js';
import { SessionGuard } from '../auth/session.guard.js';
import { RequestBody } from '../config/request-body.js';
import { type PaymentReceipt, PaymentsService } from './payments.service.js';

@Controller('api/payment')
@UseGuards(SessionGuard)
export class PaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** 201 with the receipt when approved; 402 Payment Required with the decline code otherwise. */
  @Post('process')
  async process(@Body() body: unknown, @Req() request: AuthenticatedRequest): Promise<PaymentReceipt> {
    const input = new RequestBody(body);
    const currency = input.text('currency', { max: 3 });
    if (!/^[a-z]{3}$/i.test(currency)) throw new HttpException('currency: expected a three-letter ISO code such as "usd"', HttpStatus.BAD_REQUEST);
    const order = { amount: input.amount('amount'), currency, card: input.text('card', { max: 30 }) };
    const receipt = await this.payments.process(order, request.user!.id);
    if (receipt.status === 'declined') {
      throw new HttpException({ statusCode: HttpStatus.PAYMENT_REQUIRED, message: 'Payment declined', ...receipt }, HttpStatus.PAYMENT_REQUIRED);
    }
    return receipt;
  }
}
