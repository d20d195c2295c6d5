import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { DeclineOfferDto, ListOffersQuery, OfferIdParam, OfferView } from './dto/offer.dto';
import { OffersService } from './offers.service';

/** A technician's offers (派单邀约): see them, accept or decline within the timeout. */
@ApiTags('dispatch (technician)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/dispatch/offers')
export class DispatchOffersController {
  constructor(private readonly offers: OffersService) {}

  @Get()
  @CheckPolicies((a) => a.can('update', 'DispatchOffer'))
  @ApiOperation({ summary: 'My offers (newest first)' })
  @ApiOkResponse({ type: [OfferView] })
  mine(@CurrentActor() actor: Actor, @Query() q: ListOffersQuery): Promise<OfferView[]> {
    return this.offers.mine(actor, q.status);
  }

  @Post(':id/accept')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'DispatchOffer'))
  @ApiOperation({ summary: 'Accept my open offer: the order becomes mine (assigned → accepted)' })
  @ApiOkResponse({ type: OfferView })
  @ApiNotFoundResponse({ description: 'no such offer made to you' })
  @ApiConflictResponse({ description: 'OFFER_NOT_OPEN, OFFER_EXPIRED, SLOT_TAKEN' })
  accept(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<OfferView> {
    return this.offers.accept(actor, p.id);
  }

  @Post(':id/decline')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'DispatchOffer'))
  @ApiOperation({ summary: 'Decline my open offer: it goes to the next technician' })
  @ApiOkResponse({ type: OfferView })
  @ApiNotFoundResponse({ description: 'no such offer made to you' })
  @ApiConflictResponse({ description: 'OFFER_NOT_OPEN' })
  decline(@CurrentActor() actor: Actor, @Param() p: OfferIdParam, @Body() body: DeclineOfferDto): Promise<OfferView> {
    return this.offers.decline(actor, p.id, body?.reason);
  }
}
