import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { AddressesService } from './addresses.service';
import { AddressDto, CreateAddressDto, UpdateAddressDto } from './dto/address.dto';

/** Only customers keep an address book (staff and technicians get 403: `create` is theirs alone). */
const customerOnly = CheckPolicies((a) => a.can('create', 'CustomerAddress'));

@ApiTags('addresses')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/addresses')
@ApiForbiddenResponse({ description: 'not a customer of this store' })
export class AddressesController {
  constructor(private readonly addresses: AddressesService) {}

  @Get()
  @customerOnly
  @ApiOperation({ summary: 'My addresses (default first)' })
  @ApiOkResponse({ type: [AddressDto] })
  list(@CurrentActor() actor: Actor): Promise<AddressDto[]> {
    return this.addresses.list(actor);
  }

  @Get(':id')
  @customerOnly
  @ApiOperation({ summary: 'One of my addresses' })
  @ApiOkResponse({ type: AddressDto })
  @ApiNotFoundResponse({ description: 'no such address of yours' })
  get(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<AddressDto> {
    return this.addresses.get(actor, id);
  }

  @Post()
  @customerOnly
  @ApiOperation({ summary: 'Add an address (home or hotel); the phone is stored encrypted' })
  @ApiCreatedResponse({ type: AddressDto })
  @ApiBadRequestResponse({ description: 'a field is missing or invalid (named in `fields`)' })
  create(@CurrentActor() actor: Actor, @Body() body: CreateAddressDto): Promise<AddressDto> {
    return this.addresses.create(actor, body);
  }

  @Patch(':id')
  @customerOnly
  @ApiOperation({ summary: 'Change one of my addresses' })
  @ApiOkResponse({ type: AddressDto })
  @ApiBadRequestResponse({ description: 'a field is invalid (named in `fields`)' })
  @ApiNotFoundResponse({ description: 'no such address of yours' })
  update(
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateAddressDto,
  ): Promise<AddressDto> {
    return this.addresses.update(actor, id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @customerOnly
  @ApiOperation({ summary: 'Remove one of my addresses (orders keep their own copy)' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'no such address of yours' })
  remove(@CurrentActor() actor: Actor, @Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.addresses.remove(actor, id);
  }
}
