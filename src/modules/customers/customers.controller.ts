import { Body, Controller, ForbiddenException, Get, Param, ParseUUIDPipe, Patch, Query, Req } from '@nestjs/common';
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
import { ClientIp, CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { SqlUnitOfWork, TenantScoped } from '../../platform/http/route-metadata';
import type { AppAbility } from '../../platform/authz/app-ability';
import { canListAllCustomers } from './customer-access';
import { CustomerDto, CustomerPageDto } from './dto/customer.dto';
import { ListCustomersQuery } from './dto/list-customers.query';
import { UpdateCustomerDto } from './dto/update-customer.dto';
import { CustomersService } from './customers.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

@ApiTags('customers')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/customers')
export class CustomersController {
  constructor(private readonly customers: CustomersService) {}

  @Get()
  @SqlUnitOfWork()
  @CheckPolicies(canListAllCustomers)
  @ApiOperation({ summary: "List the store's customers (staff), in a stable order, 20 per page by default" })
  @ApiOkResponse({ type: CustomerPageDto })
  @ApiBadRequestResponse({ description: 'invalid limit, cursor or q' })
  @ApiForbiddenResponse({ description: 'not a staff role, or a token of another store' })
  list(@Req() req: AppRequest, @Query() query: ListCustomersQuery): Promise<CustomerPageDto> {
    return this.customers.list(query);
  }

  @Get(':id')
  @CheckPolicies((a) => a.can('read', 'Customer'))
  @ApiOperation({ summary: 'One customer (staff; a customer may read themself)' })
  @ApiOkResponse({ type: CustomerDto })
  @ApiNotFoundResponse({ description: 'no such customer in this store, or not visible to you' })
  get(@Req() req: AppRequest, @Param('id', new ParseUUIDPipe()) id: string): Promise<CustomerDto> {
    return this.customers.get(abilityOf(req), id);
  }

  @Patch(':id')
  @CheckPolicies((a) => a.can('update', 'Customer'))
  @ApiOperation({ summary: "Change a customer's nickname (managers; a customer may rename themself)" })
  @ApiOkResponse({ type: CustomerDto })
  @ApiBadRequestResponse({ description: 'invalid nickname or malformed JSON' })
  @ApiNotFoundResponse({ description: 'no such customer in this store, or not yours to change' })
  rename(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateCustomerDto,
  ): Promise<CustomerDto> {
    return this.customers.rename(abilityOf(req), actor, id, body.nickname, ip);
  }
}
