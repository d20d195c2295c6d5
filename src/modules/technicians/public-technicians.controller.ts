import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public, TenantScoped } from '../../platform/http/route-metadata';
import { PublicTechniciansQuery } from './dto/list-technicians.query';
import { PublicTechnicianDto, PublicTechnicianListDto } from './dto/technician.dto';
import { PublicTechniciansService } from './public-technicians.service';

/**
 * The customer site. No sign-in and no CASL check: what is public is decided by the repository's
 * fixed column list (no phone, ID number, location or certificates) and the approved-only filter.
 */
@ApiTags('customer site')
@Public()
@TenantScoped()
@Controller('api/technicians/public')
export class PublicTechniciansController {
  constructor(private readonly technicians: PublicTechniciansService) {}

  @Get()
  @ApiOperation({ summary: "The store's approved technicians, best rated first (filter by skill or service)" })
  @ApiOkResponse({ type: PublicTechnicianListDto })
  @ApiBadRequestResponse({ description: 'invalid skill code or service id' })
  list(@Query() query: PublicTechniciansQuery): Promise<PublicTechnicianListDto> {
    return this.technicians.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: "A technician's public profile" })
  @ApiOkResponse({ type: PublicTechnicianDto })
  @ApiNotFoundResponse({ description: 'no such approved technician in this store' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<PublicTechnicianDto> {
    return this.technicians.get(id);
  }
}
