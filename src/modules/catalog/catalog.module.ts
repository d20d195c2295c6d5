import { Module } from '@nestjs/common';
import { FilesModule } from '../../platform/files/files.module';
import { CatalogAdminController } from './catalog-admin.controller';
import { CatalogRepository } from './catalog.repository';
import { CatalogService } from './catalog.service';
import { PublicCatalogController } from './public-catalog.controller';

/** Service catalog, add-ons and travel-fee rules; the price quote itself is pure (price-quote.ts). */
@Module({
  imports: [FilesModule],
  controllers: [PublicCatalogController, CatalogAdminController],
  providers: [CatalogRepository, CatalogService],
  exports: [CatalogService],
})
export class CatalogModule {}
