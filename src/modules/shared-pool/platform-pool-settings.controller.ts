import { Body, Controller, Get, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { ClientIp, CurrentActor } from '../../platform/http/request-context';
import { PoolSettingsView, UpdatePoolSettingsDto } from './dto/shared-pool.dto';
import { SharedPoolService } from './shared-pool.service';

@ApiTags('platform console 平台运营')
@ApiBearerAuth()
@ApiResponse({ status: 403, description: 'not a platform operator' })
@CheckPolicies((a) => a.can('manage', 'Platform'))
@Controller('api/platform/settings/shared-pool')
export class PlatformPoolSettingsController {
  constructor(private readonly pool: SharedPoolService) {}

  @Get()
  @ApiOperation({ summary: 'Shared pool: on/off and the default share the fulfilling store earns' })
  @ApiOkResponse({ type: PoolSettingsView })
  get(): Promise<PoolSettingsView> {
    return this.pool.settings();
  }

  @Put()
  @ApiOperation({ summary: 'Change the shared-pool settings (audited)' })
  @ApiOkResponse({ type: PoolSettingsView })
  update(@CurrentActor() actor: Actor, @Body() dto: UpdatePoolSettingsDto, @ClientIp() ip: string) {
    return this.pool.updateSettings(actor, dto, ip);
  }
}
