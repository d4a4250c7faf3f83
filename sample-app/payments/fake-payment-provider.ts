import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { TrackExternalApi } from '../../lib/index.js';
import { type DeclineCode, declineCode } from './decline-rules.js';

export interface ChargeRequest {
  card: string;
  amount: number;
  currency: string;
}

export interface ChargeResult {
  chargeId: string;
  status: 'approved' | 'declined';
  /** What a real provider's HTTP API would have answered: 200, or 402 for a decline. */
  httpStatus: number;
  declineCode?: DeclineCode;
}

/**
 * Stands in for a card processor's HTTP API (in process, with a network-like delay), so the app
 * runs offline. The decorator records each call as an `External API Call` the way a real client
 * would be recorded: a 402 answer counts as a failed call.
 */
@Injectable()
export class FakePaymentProvider {
  @TrackExternalApi('fakepay', '/v1/charges', { method: 'POST', statusCode: ({ result }) => result?.httpStatus })
  async charge(request: ChargeRequest): Promise<ChargeResult> {
    await sleep(20 + Math.floor(Math.random() * 60));
    const code = declineCode(request.card);
    const chargeId = `ch_${randomUUID().replaceAll('-', '').slice(0, 20)}`;
    return code ? { chargeId, status: 'declined', httpStatus: 402, declineCode: code } : { chargeId, status: 'approved', httpStatus: 200 };
  }
}
