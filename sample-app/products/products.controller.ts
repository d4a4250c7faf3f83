import { Controller, Get, Param, ParseIntPipe } from '@nestjs/common';
import { type ProductView, ProductsService } from './products.service.js';

@Controller('api/products')
export class ProductsController {
  constructor(private readonly products: ProductsService) {}

  @Get()
  list(): Promise<ProductView[]> {
    return this.products.list();
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<ProductView> {
    return this.products.get(id);
  }
}
