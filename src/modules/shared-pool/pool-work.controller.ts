import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { ProposeExtensionDto } from '../technician-work/dto/extension.dto';
import { ArriveDto } from '../technician-work/dto/technician-work.dto';
import { OfferIdParam } from './dto/shared-pool.dto';
import { PoolExtensionDto, PoolOrderProgressDto } from './dto/pool-work.dto';
import { PoolWorkService } from './pool-work.service';

/**
 * The trip on a pool order another store gave, for the technician holding it (its offer id is
 * all they know of it). Not theirs, or not held → 404; out of order → 409 ILLEGAL_TRANSITION.
 */
@ApiTags('shared pool 共享订单池')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/shared-pool/offers/:id')
export class PoolWorkController {
  constructor(private readonly work: PoolWorkService) {}

  @Post('depart')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: '出发: leave for a pool order I hold' })
  @ApiOkResponse({ type: PoolOrderProgressDto })
  @ApiNotFoundResponse({ description: 'not an offer I hold' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  depart(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<PoolOrderProgressDto> {
    return this.work.step(actor, p.id, 'depart');
  }

  @Post('arrive')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: '到达签到: check in within the geofence of the address (CHECKIN_GEOFENCE_M)' })
  @ApiOkResponse({ type: PoolOrderProgressDto })
  @ApiBadRequestResponse({ description: 'OUTSIDE_GEOFENCE (fields lat/lng, with the distance)' })
  @ApiNotFoundResponse({ description: 'not an offer I hold, or the order has ended' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  arrive(
    @CurrentActor() actor: Actor,
    @Param() p: OfferIdParam,
    @Body() body: ArriveDto,
  ): Promise<PoolOrderProgressDto> {
    return this.work.arrive(actor, p.id, body);
  }

  @Post('start')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: '开始服务: start the service after check-in' })
  @ApiOkResponse({ type: PoolOrderProgressDto })
  @ApiNotFoundResponse({ description: 'not an offer I hold' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  start(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<PoolOrderProgressDto> {
    return this.work.step(actor, p.id, 'start');
  }

  @Post('complete')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: '完成签退: check out; both stores’ ledgers are settled (the agreed share)' })
  @ApiOkResponse({ type: PoolOrderProgressDto })
  @ApiNotFoundResponse({ description: 'not an offer I hold' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION' })
  complete(@CurrentActor() actor: Actor, @Param() p: OfferIdParam): Promise<PoolOrderProgressDto> {
    return this.work.step(actor, p.id, 'complete');
  }

  @Post('extensions')
  @HttpCode(201)
  @CheckPolicies((a) => a.can('update', 'SharedPool'))
  @ApiOperation({ summary: '加钟: propose an extension in service; the giving store’s customer confirms it' })
  @ApiCreatedResponse({ type: PoolExtensionDto })
  @ApiBadRequestResponse({ description: 'units out of range' })
  @ApiNotFoundResponse({ description: 'not an offer I hold' })
  @ApiConflictResponse({ description: 'ILLEGAL_TRANSITION (not in service) or EXTENSION_NOT_OFFERED' })
  proposeExtension(
    @CurrentActor() actor: Actor,
    @Param() p: OfferIdParam,
    @Body() body: ProposeExtensionDto,
  ): Promise<PoolExtensionDto> {
    return this.work.proposeExtension(actor, p.id, body.units);
  }
}
