import { Body, Controller, Get, HttpCode, Post, Put, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { LocationDto, LocationResultDto } from './dto/location.dto';
import { TechnicianApplicationDto } from './dto/technician-application.dto';
import { TechnicianDetailDto } from './dto/technician.dto';
import { abilityOf } from './request-ability';
import { TechnicianSelfService } from './technician-self.service';

@ApiTags('technician app')
@ApiBearerAuth()
@ApiForbiddenResponse({ description: 'not signed in as a technician of this store' })
@TenantScoped()
@Controller('api/technician')
export class TechnicianSelfController {
  constructor(private readonly self: TechnicianSelfService) {}

  @Get('me')
  @CheckPolicies((a) => a.can('read', 'Technician'))
  @ApiOperation({ summary: 'My profile, review status (and rejection reason) and certificates' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  me(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<TechnicianDetailDto> {
    return this.self.me(abilityOf(req), actor);
  }

  @Put('application')
  @CheckPolicies((a) => a.can('update', 'Technician', 'application'))
  @ApiOperation({
    summary: 'Submit (or, after a rejection, resubmit) my application for review',
    description: 'Allowed while the status is applicant or rejected; the status becomes pending_review.',
  })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiBadRequestResponse({ description: 'invalid field (e.g. idNumber checksum), or a file that is not yours' })
  @ApiConflictResponse({ description: 'already under review or approved; or the ID number is registered' })
  apply(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Body() body: TechnicianApplicationDto,
  ): Promise<TechnicianDetailDto> {
    return this.self.apply(abilityOf(req), actor, body, ip);
  }

  @Post('online')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Technician', 'online'))
  @ApiOperation({ summary: 'Go on duty (approved technicians only)' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  @ApiConflictResponse({ description: 'not approved' })
  online(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<TechnicianDetailDto> {
    return this.self.setOnline(abilityOf(req), actor, true);
  }

  @Post('offline')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Technician', 'online'))
  @ApiOperation({ summary: 'Go off duty' })
  @ApiOkResponse({ type: TechnicianDetailDto })
  offline(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<TechnicianDetailDto> {
    return this.self.setOnline(abilityOf(req), actor, false);
  }

  @Post('location')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Technician', 'location'))
  @ApiOperation({
    summary: 'Report my position while on duty',
    description:
      'Stored at most once per TECHNICIAN_LOCATION_INTERVAL_MS (default 5 s) per technician; pings in between ' +
      'are accepted with `stored: false` and `retryAfterMs`, not stored. The last stored position is kept.',
  })
  @ApiOkResponse({ type: LocationResultDto })
  @ApiBadRequestResponse({ description: 'lat/lng missing or out of range' })
  @ApiConflictResponse({ description: 'not online' })
  location(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Body() body: LocationDto,
  ): Promise<LocationResultDto> {
    return this.self.updateLocation(abilityOf(req), actor, body.lat, body.lng);
  }
}
