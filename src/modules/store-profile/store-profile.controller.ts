import { Body, Controller, Get, Patch } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor } from '../../platform/http/request-context';
import { AllowClosedStore, Public, TenantScoped } from '../../platform/http/route-metadata';
import { StorePageDto, StoreProfileDto } from './dto/store-profile.dto';
import { UpdateBrandingDto } from './dto/update-branding.dto';
import { UpdateStoreProfileDto } from './dto/update-store-profile.dto';
import { StoreProfileService } from './store-profile.service';

@ApiTags('store')
@TenantScoped()
@Controller('api/store')
export class StoreProfileController {
  constructor(private readonly store: StoreProfileService) {}

  @Get()
  @Public()
  @AllowClosedStore()
  @ApiOperation({
    summary: "The store's public page: name, branding, address, masked phone, hours, service area, status",
    description: 'Also answers for a closed store, with `closed: true` and a zh-CN/en notice.',
  })
  @ApiOkResponse({ type: StorePageDto })
  @ApiNotFoundResponse({ description: 'no store with this slug' })
  page(): Promise<StorePageDto> {
    return this.store.publicPage();
  }

  @Get('profile')
  @ApiBearerAuth()
  @CheckPolicies((a) => a.can('read', 'StoreSettings'))
  @ApiOperation({ summary: 'The store profile for staff (owner, manager, staff), including the full phone' })
  @ApiOkResponse({ type: StoreProfileDto })
  @ApiForbiddenResponse({ description: 'not staff of this store' })
  profile(): Promise<StoreProfileDto> {
    return this.store.profile();
  }

  @Patch('profile')
  @ApiBearerAuth()
  @CheckPolicies((a) => a.can('update', 'StoreSettings'))
  @ApiOperation({ summary: 'Edit address, location, phone, hours, introduction, photos, service area (owner)' })
  @ApiOkResponse({ type: StoreProfileDto })
  @ApiBadRequestResponse({ description: 'invalid fields, named in `fields`' })
  @ApiForbiddenResponse({ description: 'not the owner, another store, or the store is suspended (read-only)' })
  updateProfile(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateStoreProfileDto,
    @ClientIp() ip: string,
  ): Promise<StoreProfileDto> {
    return this.store.updateProfile(actor, dto, ip);
  }

  @Patch('branding')
  @ApiBearerAuth()
  @CheckPolicies((a) => a.can('update', 'StoreSettings'))
  @ApiOperation({ summary: 'Edit name, display name, theme colour, logo (owner); takes effect at once' })
  @ApiOkResponse({ type: StorePageDto })
  @ApiBadRequestResponse({ description: 'invalid fields, named in `fields`' })
  @ApiForbiddenResponse({ description: 'not the owner, another store, or the store is suspended (read-only)' })
  updateBranding(
    @CurrentActor() actor: Actor,
    @Body() dto: UpdateBrandingDto,
    @ClientIp() ip: string,
  ): Promise<StorePageDto> {
    return this.store.updateBranding(actor, dto, ip);
  }
}
