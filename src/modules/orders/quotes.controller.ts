import { Body, Controller, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor } from '../../platform/http/request-context';
import { SqlUnitOfWork, TenantScoped } from '../../platform/http/route-metadata';
import { CreateQuoteDto, QuoteDto } from './dto/quote.dto';
import { QuotesService } from './quotes.service';

@ApiTags('orders')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/quotes')
export class QuotesController {
  constructor(private readonly quotes: QuotesService) {}

  @Post()
  @SqlUnitOfWork() // priced from one statement, stored with one more: no Prisma transaction needed
  @CheckPolicies((a) => a.can('create', 'Quote'))
  @ApiOperation({
    summary: 'Price a booking (customers): stored for 15 minutes; the order copies its lines',
    description:
      'Prices are computed on the server; the travel fee is measured from the chosen technician’s home base ' +
      '(else last known position), or from the store for "any technician".',
  })
  @ApiCreatedResponse({ type: QuoteDto })
  @ApiBadRequestResponse({
    description:
      'a field is invalid, named in `fields`: addressId (unknown or OUTSIDE_SERVICE_AREA), startAt (START_IN_PAST, ' +
      'START_TOO_SOON, START_BEYOND_WINDOW), durationMinutes (DURATION_NOT_OFFERED), serviceId, addons.N, technicianId',
  })
  @ApiForbiddenResponse({ description: 'not a customer of this store' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateQuoteDto): Promise<QuoteDto> {
    return this.quotes.create(actor, body);
  }
}
