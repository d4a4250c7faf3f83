import type { Product } from './product.entity.js';

/** The catalogue a fresh data folder starts with; ids follow this order (1, 2, ...). */
export const PRODUCT_SEED: ReadonlyArray<Omit<Product, 'id'>> = [
  { name: 'Mechanical keyboard', priceCents: 8999, currency: 'USD', stock: 25 },
  { name: 'USB-C dock', priceCents: 14950, currency: 'USD', stock: 12 },
  { name: '27" monitor', priceCents: 32900, currency: 'USD', stock: 7 },
  { name: 'Noise-cancelling headphones', priceCents: 19900, currency: 'USD', stock: 30 },
  { name: 'Standing desk', priceCents: 49900, currency: 'USD', stock: 3 },
];
