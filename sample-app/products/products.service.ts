import { Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { AnalyticsService } from '../../lib/index.js';
import { PRODUCT_SEED } from './product-seed.js';
import { Product } from './product.entity.js';

export interface ProductView {
  id: number;
  name: string;
  price: number;
  currency: string;
  inStock: boolean;
}

@Injectable()
export class ProductsService {
  constructor(
    @InjectRepository(Product) private readonly products: Repository<Product>,
    private readonly analytics: AnalyticsService,
  ) {}

  async list(): Promise<ProductView[]> {
    return (await this.products.find({ order: { id: 'ASC' } })).map(view);
  }

  /** A business event no decorator covers: `track` queues it for `custom_events` and returns at once. */
  async get(id: number): Promise<ProductView> {
    const product = await this.products.findOneBy({ id });
    if (!product) throw new NotFoundException(`No product with id ${id}`);
    const shown = view(product);
    this.analytics.track('Product Viewed', { product_id: shown.id, price: shown.price, currency: shown.currency, in_stock: shown.inStock });
    return shown;
  }

  async seed(): Promise<void> {
    if ((await this.products.count()) > 0) return;
    await this.products.insert(PRODUCT_SEED.map((p) => ({ ...p })));
  }
}

function view(product: Product): ProductView {
  return { id: product.id, name: product.name, price: product.priceCents / 100, currency: product.currency, inStock: product.stock > 0 };
}
