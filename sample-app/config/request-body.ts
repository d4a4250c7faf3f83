import { BadRequestException } from '@nestjs/common';

/**
 * Reads the fields a handler needs from a JSON body and answers 400 naming the first bad one.
 * The sample app has no validation library: these few checks keep each endpoint honest.
 */
export class RequestBody {
  private readonly body: Record<string, unknown>;

  constructor(body: unknown) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException('Expected a JSON object body (content-type: application/json)');
    }
    this.body = body as Record<string, unknown>;
  }

  text(name: string, { max = 500, optional = false } = {}): string {
    const value = this.body[name];
    if (optional && (value === undefined || value === null)) return '';
    if (typeof value !== 'string' || value.trim() === '' || value.length > max) {
      throw new BadRequestException(`${name}: expected a non-empty string of at most ${max} characters`);
    }
    return value.trim();
  }

  email(name: string): string {
    const value = this.text(name, { max: 320 });
    if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new BadRequestException(`${name}: expected an e-mail address`);
    return value.toLowerCase();
  }

  amount(name: string): number {
    const value = this.body[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > 1_000_000) {
      throw new BadRequestException(`${name}: expected a positive number up to 1,000,000`);
    }
    return Math.round(value * 100) / 100;
  }
}
