import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { TrackPayment } from '../../lib/index.js';
import type { DeclineCode } from './decline-rules.js';
import { FakePaymentProvider } from './fake-payment-provider.js';
import { Payment } from './payment.entity.js';

export interface PaymentOrder {
  amount: number;
  currency: string;
  card: string;
}

export interface PaymentReceipt {
  paymentId: number;
  status: 'approved' | 'declined';
  amount: number;
  currency: string;
  declineCode?: DeclineCode;
}

@Injectable()
export class PaymentsService {
  constructor(
    private readonly provider: FakePaymentProvider,
    @InjectRepository(Payment) private readonly payments: Repository<Payment>,
  ) {}

  /**
   * Amount and currency come from the first argument's `amount`/`currency` (the decorator's
   * defaults); a decline is not an exception, so `success` reads the receipt. The card number
   * is an argument too, and arguments are never recorded.
   */
  @TrackPayment('charge', { provider: 'fakepay', success: ({ result }) => result?.status === 'approved' })
  async process(order: PaymentOrder, userId: number): Promise<PaymentReceipt> {
    const currency = order.currency.toUpperCase();
    const charge = await this.provider.charge({ card: order.card, amount: order.amount, currency });
    const saved = await this.payments.save(
      this.payments.create({
        userId,
        amountCents: Math.round(order.amount * 100),
        currency,
        status: charge.status,
        cardLast4: order.card.replace(/\D/g, '').slice(-4),
        chargeId: charge.chargeId,
      }),
    );
    return { paymentId: saved.id, status: charge.status, amount: order.amount, currency, declineCode: charge.declineCode };
  }
}
