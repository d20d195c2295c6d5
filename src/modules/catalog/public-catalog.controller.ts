import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentTenant } from '../../platform/http/request-context';
import { Public, SqlUnitOfWork, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { QuoteRequestDto } from './dto/quote.dto';
import { CatalogService } from './catalog.service';
import { IdParam } from './dto/catalog-input.dto';

/** What customers browse (no sign-in): active categories and services with prices. */
@ApiTags('catalog')
@Public()
@TenantScoped()
@Controller('api/catalog')
export class PublicCatalogController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @SqlUnitOfWork()
  @CheckPolicies((a) => a.can('read', 'Service'))
  @ApiOperation({
    summary:
      'The store catalog: active categories → services (durations, prices, add-ons), store-wide add-ons, travel fee',
    description: 'Sends an ETag; answer If-None-Match with it to get 304 when nothing changed.',
  })
  @ApiOkResponse({ description: 'catalog JSON' })
  async catalogJson(
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<string> {
    const { json, etag } = await this.catalog.publicCatalog();
    void reply.header('etag', etag).header('cache-control', 'public, max-age=0, must-revalidate');
    if (ifNoneMatch === etag) {
      void reply.status(304);
      return '';
    }
    void reply.header('content-type', 'application/json; charset=utf-8');
    return json;
  }

  @Get('services/:id')
  @CheckPolicies((a) => a.can('read', 'Service'))
  @ApiOperation({ summary: 'One active service with its durations, prices and applicable add-ons' })
  @ApiNotFoundResponse({ description: 'no such active service in this store' })
  service(@Param() p: IdParam) {
    return this.catalog.publicService(p.id);
  }

  @Post('quote')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('read', 'Service'))
  @ApiOperation({
    summary: 'Price quote: service + duration + add-ons + travel fee + night surcharge + minimum-order top-up (fen)',
  })
  @ApiBadRequestResponse({ description: 'DURATION_NOT_OFFERED (field durationMinutes), unknown add-on, quantity' })
  quote(@CurrentTenant() tenant: TenantInfo, @Body() dto: QuoteRequestDto) {
    return this.catalog.quote(tenant.timezone, dto);
  }
}
