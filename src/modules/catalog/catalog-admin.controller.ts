import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Req,
} from '@nestjs/common';
import { subject } from '@casl/ability';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import type { Service } from '../../generated/prisma/client';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { CatalogService } from './catalog.service';
import {
  CreateAddonDto,
  CreateCategoryDto,
  CreateServiceDto,
  IdParam,
  TravelFeeRulesDto,
  UpdateAddonDto,
  UpdateCategoryDto,
  UpdateServiceDto,
} from './dto/catalog-input.dto';

/** The staff view shows inactive items too: only roles that may read an inactive service. */
const canSeeWholeCatalog = (a: AppAbility): boolean =>
  a.can('read', subject('Service', { active: false } as Service)) && a.can('read', 'TravelFeeRule');

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** Store staff manage the catalog here (owner/manager write; staff read). */
@ApiTags('catalog (staff)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/admin/catalog')
export class CatalogAdminController {
  constructor(private readonly catalog: CatalogService) {}

  @Get()
  @CheckPolicies(canSeeWholeCatalog)
  @ApiOperation({ summary: 'Everything in the catalog, inactive items included' })
  all(@Req() req: AppRequest) {
    return this.catalog.adminCatalog(abilityOf(req));
  }

  @Post('categories')
  @CheckPolicies((a) => a.can('create', 'ServiceCategory'))
  @ApiOperation({ summary: 'Add a category (409 when the Chinese name is taken)' })
  createCategory(@Body() dto: CreateCategoryDto) {
    return this.catalog.createCategory(dto);
  }

  @Patch('categories/:id')
  @CheckPolicies((a) => a.can('update', 'ServiceCategory'))
  @ApiOperation({ summary: 'Edit or (de)activate a category' })
  @ApiNotFoundResponse({ description: 'no such category in this store' })
  updateCategory(@Param() p: IdParam, @Body() dto: UpdateCategoryDto) {
    return this.catalog.updateCategory(p.id, dto);
  }

  @Get('services/:id')
  @CheckPolicies(canSeeWholeCatalog)
  @ApiOperation({ summary: 'One service with all its options' })
  @ApiNotFoundResponse({ description: 'no such service in this store' })
  getService(@Req() req: AppRequest, @Param() p: IdParam) {
    return this.catalog.getService(abilityOf(req), p.id);
  }

  @Post('services')
  @CheckPolicies((a) => a.can('create', 'Service'))
  @ApiOperation({ summary: 'Add a service with its duration options and prices' })
  createService(@CurrentActor() actor: Actor, @Body() dto: CreateServiceDto) {
    return this.catalog.createService(actor, dto);
  }

  @Patch('services/:id')
  @CheckPolicies((a) => a.can('update', 'Service'))
  @ApiOperation({ summary: 'Edit a service; `durations`, when given, replace its options' })
  @ApiNotFoundResponse({ description: 'no such service in this store' })
  updateService(@CurrentActor() actor: Actor, @Param() p: IdParam, @Body() dto: UpdateServiceDto) {
    return this.catalog.updateService(actor, p.id, dto);
  }

  @Post('addons')
  @CheckPolicies((a) => a.can('create', 'ServiceAddon'))
  @ApiOperation({ summary: 'Add an extension (加钟) or material (物料), for one service or the whole store' })
  createAddon(@Body() dto: CreateAddonDto) {
    return this.catalog.createAddon(dto);
  }

  @Patch('addons/:id')
  @CheckPolicies((a) => a.can('update', 'ServiceAddon'))
  @ApiOperation({ summary: 'Edit or (de)activate an add-on' })
  @ApiNotFoundResponse({ description: 'no such add-on in this store' })
  updateAddon(@Param() p: IdParam, @Body() dto: UpdateAddonDto) {
    return this.catalog.updateAddon(p.id, dto);
  }

  @Delete('addons/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'ServiceAddon'))
  @ApiOperation({ summary: 'Remove an add-on' })
  @ApiNotFoundResponse({ description: 'no such add-on in this store' })
  async deleteAddon(@Param() p: IdParam): Promise<void> {
    await this.catalog.deleteAddon(p.id);
  }

  @Get('travel-fee')
  @CheckPolicies(canSeeWholeCatalog)
  @ApiOperation({ summary: 'Travel-fee rules (free radius, per km, night window, minimum order)' })
  travelFee() {
    return this.catalog.travelFee();
  }

  @Put('travel-fee')
  @CheckPolicies((a) => a.can('update', 'TravelFeeRule'))
  @ApiOperation({
    summary: 'Set the travel-fee rules (times in the store timezone; the night window may cross midnight)',
  })
  setTravelFee(@CurrentActor() actor: Actor, @Body() dto: TravelFeeRulesDto) {
    return this.catalog.setTravelFee(actor, dto);
  }
}
