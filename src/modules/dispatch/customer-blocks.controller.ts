import { Body, Controller, Delete, Get, HttpCode, Param, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
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
import { BlocksService } from './blocks.service';
import { BlockTechnicianParam, BlockView, CreateBlockDto } from './dto/block.dto';

/** A customer's block list: technicians dispatch must never send them. */
@ApiTags('dispatch (customer)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/dispatch/blocks')
export class CustomerBlocksController {
  constructor(private readonly blocks: BlocksService) {}

  @Get()
  @CheckPolicies((a) => a.can('create', 'CustomerTechnicianBlock'))
  @ApiOperation({ summary: 'My blocked technicians' })
  @ApiOkResponse({ type: [BlockView] })
  list(@CurrentActor() actor: Actor): Promise<BlockView[]> {
    return this.blocks.list(actor);
  }

  @Post()
  @CheckPolicies((a) => a.can('create', 'CustomerTechnicianBlock'))
  @ApiOperation({ summary: 'Block a technician (idempotent)' })
  @ApiCreatedResponse({ type: BlockView })
  @ApiNotFoundResponse({ description: 'no such technician in this store' })
  add(@CurrentActor() actor: Actor, @Body() body: CreateBlockDto): Promise<BlockView> {
    return this.blocks.add(actor, body);
  }

  @Delete(':technicianId')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'CustomerTechnicianBlock'))
  @ApiOperation({ summary: 'Unblock a technician' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'not on your list' })
  async remove(@CurrentActor() actor: Actor, @Param() p: BlockTechnicianParam): Promise<void> {
    await this.blocks.remove(actor, p.technicianId);
  }
}
