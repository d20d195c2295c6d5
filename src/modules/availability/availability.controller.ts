import { Controller, Get, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentTenant } from '../../platform/http/request-context';
import { Public, SqlUnitOfWork, TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { AvailabilityService } from './availability.service';
import { AvailabilityQueryDto, AvailabilityView } from './dto/availability.dto';

/** What a customer can book: start times a technician can really make, travel included. */
@ApiTags('availability (public)')
@Public()
@TenantScoped()
@Controller('api/availability')
export class AvailabilityController {
  constructor(private readonly availability: AvailabilityService) {}

  @Get()
  @SqlUnitOfWork()
  @ApiOperation({
    summary: 'Bookable start times for a service, duration, address and date range',
    description:
      'Per technician (technicianId) or for any technician. A start is offered only inside a shift, after the ' +
      "lead time, within the booking window, clear of busy time plus the store's buffer, and when the " +
      'technician can travel there from their previous job (or home at shift start) and on to their next job.',
  })
  @ApiOkResponse({ type: AvailabilityView })
  @ApiBadRequestResponse({
    description: 'durationMinutes not offered, lat/lng outside the service area, from/to outside the booking window',
  })
  get(@CurrentTenant() tenant: TenantInfo, @Query() q: AvailabilityQueryDto): Promise<AvailabilityView> {
    return this.availability.slots(tenant.timezone, q);
  }
}
