import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
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
import { CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { NearMeQuery, OrderIdParam } from '../grab/dto/grab.dto';
import {
  HeldOfferDto,
  OfferIdParam,
  ParticipationDto,
  PoolClaimDto,
  PoolContactDto,
  PoolOfferDto,
  PublishResultDto,
} from './dto/shared-pool.dto';
import { SharedPoolService } from './shared-pool.service';

/** 共享订单池 from a store's side: membership, publishing, and a technician's offers and claims. */
@ApiTags('shared pool 共享订单池')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/shared-pool')
export class SharedPoolController {
  constructor(private readonly pool: SharedPoolService) {}

  @Get('participation')
  @CheckPolicies((a) => a.can('read', 'SharedPool'))
  @ApiOperation({
    summary: "The store's shared-pool role (none, giver, taker, both); set in the dispatch settings",
  })
  @ApiOkResponse({ type: ParticipationDto })
  participation(): Promise<ParticipationDto> {
    return this.pool.participation();
  }

  @Post('orders/:id/publish')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('manage', 'GrabHall'))
  @ApiOperation({ summary: 'Escalate a dispatching order to the shared pool (platform and store must allow it)' })
  @ApiOkResponse({ type: PublishResultDto })
  @ApiForbiddenResponse({ description: 'POOL_NOT_ALLOWED' })
  @ApiConflictResponse({ description: 'NOT_DISPATCHING' })
  @ApiNotFoundResponse({ description: 'no such order in this store' })
  publish(@CurrentActor() actor: Actor, @Param() p: OrderIdParam): Promise<PublishResultDto> {
    return this.pool.publish(actor, p.id);
  }

  @Get('offers-near-me')
  @CheckPolicies((a) => a.can('read', 'SharedPool'))
  @ApiOperation({ summary: "Technician of a taking store: other stores' open pool offers nearby" })
  @ApiOkResponse({ type: [PoolOfferDto] })
  nearMe(@CurrentActor() actor: Actor, @Query() q: NearMeQuery): Promise<PoolOfferDto[]> {
    return this.pool.nearMe(actor, q);
  }

  @Get('offers/held')
  @CheckPolicies((a) => a.can('read', 'SharedPool'))
  @ApiOperation({ summary: 'Technician: the pool offers I hold' })
  @ApiOkResponse({ type: [HeldOfferDto] })
  held(@CurrentActor() actor: Actor): Promise<HeldOfferDto[]> {
    return this.pool.held(actor);
  }

  @Post('offers/:id/claim')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: 'Technician: take a pool offer (one winner)' })
  @ApiOkResponse({ type: PoolClaimDto })
  @ApiConflictResponse({ description: 'ALREADY_TAKEN or SLOT_TAKEN' })
  claim(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<PoolClaimDto> {
    return this.pool.claim(actor, p.id);
  }

  @Get('offers/:id/contact')
  @CheckPolicies((a) => a.can('read', 'SharedPool'))
  @ApiOperation({ summary: 'Holder only, while the order is active: exact address and masked phone' })
  @ApiOkResponse({ type: PoolContactDto })
  @ApiNotFoundResponse({ description: 'not yours, or the order has ended' })
  contact(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<PoolContactDto> {
    return this.pool.contact(actor, p.id);
  }
}
