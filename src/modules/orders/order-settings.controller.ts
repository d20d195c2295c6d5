import { Body, Controller, Get, Put } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiForbiddenResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { OrderSettingsDto, UpdateOrderSettingsDto } from './dto/order-settings.dto';
import { OrderSettingsService } from './order-settings.service';

@ApiTags('orders')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/order-settings')
@ApiForbiddenResponse({ description: 'not allowed for your role, or a token of another store' })
export class OrderSettingsController {
  constructor(private readonly settings: OrderSettingsService) {}

  @Get()
  @CheckPolicies((a) => a.can('read', 'StoreSettings'))
  @ApiOperation({ summary: 'The store’s order rules: unpaid timeout, reminders, overrun grace, cancellation policy' })
  @ApiOkResponse({ type: OrderSettingsDto })
  get(): Promise<OrderSettingsDto> {
    return this.settings.get();
  }

  @Put()
  @CheckPolicies((a) => a.can('update', 'StoreSettings'))
  @ApiOperation({ summary: 'Change the store’s order rules (owner); omitted fields keep their value' })
  @ApiOkResponse({ type: OrderSettingsDto })
  @ApiBadRequestResponse({ description: 'a field is out of range (named in `fields`)' })
  update(
    @CurrentActor() actor: Actor,
    @ClientIp() ip: string,
    @Body() body: UpdateOrderSettingsDto,
  ): Promise<OrderSettingsDto> {
    return this.settings.update(actor, body, ip);
  }
}
