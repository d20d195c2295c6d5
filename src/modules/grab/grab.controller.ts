import { Controller, Delete, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, CurrentTenant } from '../../platform/http/request-context';
import { NoTransaction, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { ClaimResultDto, GrabOfferDto, NearMeQuery, OpenListingDto, OrderIdParam } from './dto/grab.dto';
import { GrabService } from './grab.service';

/**
 * 抢单大厅. Live offers arrive on the technician's SSE stream (`/api/events`) as `grab.offer`
 * and `grab.taken`; these routes list what is open nearby and claim.
 */
@ApiTags('grab hall 抢单')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/grab')
export class GrabController {
  constructor(private readonly grab: GrabService) {}

  @Get('orders-near-me')
  @CheckPolicies((a) => a.can('read', 'GrabHall'))
  @ApiOperation({ summary: 'Open grab orders near a point (technicians on duty), nearest first' })
  @ApiOkResponse({ type: [GrabOfferDto] })
  @ApiForbiddenResponse({ description: 'not a technician on duty' })
  nearMe(@CurrentActor() actor: Actor, @Query() q: NearMeQuery): Promise<GrabOfferDto[]> {
    return this.grab.nearMe(actor, q);
  }

  @Post('orders/:id/claim')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'GrabHall'))
  @ApiOperation({ summary: 'Grab an order: exactly one technician wins' })
  @ApiOkResponse({ type: ClaimResultDto })
  @ApiConflictResponse({ description: 'ALREADY_TAKEN (someone else won) or SLOT_TAKEN (you are booked then)' })
  @ApiNotFoundResponse({ description: 'no such order in the grab hall' })
  @NoTransaction()
  claim(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Param() p: OrderIdParam,
  ): Promise<ClaimResultDto> {
    return this.grab.claim(actor, tenant.id, p.id);
  }

  @Post('orders/:id/open')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('manage', 'GrabHall'))
  @ApiOperation({ summary: 'Staff: put a dispatching order into the grab hall and push it to technicians nearby' })
  @ApiOkResponse({ type: OpenListingDto })
  @ApiConflictResponse({ description: 'NOT_DISPATCHING or ALREADY_TAKEN' })
  @ApiNotFoundResponse({ description: 'no such order in this store' })
  open(@Param() p: OrderIdParam): Promise<OpenListingDto> {
    return this.grab.open(p.id);
  }

  @Delete('orders/:id')
  @CheckPolicies((a) => a.can('manage', 'GrabHall'))
  @ApiOperation({ summary: 'Staff: take an order back out of the grab hall' })
  @ApiOkResponse({ type: OpenListingDto })
  @ApiConflictResponse({ description: 'ALREADY_TAKEN' })
  @ApiNotFoundResponse({ description: 'not in the grab hall' })
  close(@Param() p: OrderIdParam): Promise<OpenListingDto> {
    return this.grab.close(p.id);
  }
}
