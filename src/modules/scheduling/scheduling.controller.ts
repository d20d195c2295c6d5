import {
  Body,
  Controller,
  Delete,
  ForbiddenException,
  Get,
  HttpCode,
  Param,
  Patch,
  Post,
  Put,
  Query,
  Req,
} from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, CurrentTenant, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import type { TenantInfo } from '../../platform/tenancy/tenant-directory';
import { BookingSettingsService } from './booking-settings.service';
import { BookingSettingsView, UpdateBookingSettingsDto } from './dto/booking-settings.dto';
import {
  CreateShiftOverrideDto,
  CreateShiftTemplateDto,
  IdParam,
  OverrideRangeQuery,
  ShiftOverrideView,
  ShiftTemplateView,
  TechnicianIdParam,
  UpdateShiftTemplateDto,
  WeekQuery,
  WeekView,
} from './dto/shift.dto';
import { ShiftsService } from './shifts.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** 排班: owners and managers manage shifts; staff read them; a technician reads their own. */
@ApiTags('scheduling (staff)')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/scheduling')
export class SchedulingController {
  constructor(
    private readonly shifts: ShiftsService,
    private readonly settings: BookingSettingsService,
  ) {}

  @Get('technicians/:technicianId/templates')
  @CheckPolicies((a) => a.can('read', 'ShiftTemplate'))
  @ApiOperation({ summary: "A technician's weekly shift templates" })
  @ApiOkResponse({ type: [ShiftTemplateView] })
  @ApiNotFoundResponse({ description: 'no such technician here, or not yours to see' })
  listTemplates(@Req() req: AppRequest, @Param() p: TechnicianIdParam) {
    return this.shifts.listTemplates(abilityOf(req), p.technicianId);
  }

  @Post('technicians/:technicianId/templates')
  @CheckPolicies((a) => a.can('create', 'ShiftTemplate'))
  @ApiOperation({ summary: 'Add a weekly shift (end at or before start = runs past midnight)' })
  @ApiOkResponse({ type: ShiftTemplateView })
  createTemplate(@Req() req: AppRequest, @Param() p: TechnicianIdParam, @Body() dto: CreateShiftTemplateDto) {
    return this.shifts.createTemplate(abilityOf(req), p.technicianId, dto);
  }

  @Patch('templates/:id')
  @CheckPolicies((a) => a.can('update', 'ShiftTemplate'))
  @ApiOperation({ summary: 'Change a weekly shift' })
  @ApiOkResponse({ type: ShiftTemplateView })
  @ApiNotFoundResponse({ description: 'no such shift in this store' })
  updateTemplate(@Req() req: AppRequest, @Param() p: IdParam, @Body() dto: UpdateShiftTemplateDto) {
    return this.shifts.updateTemplate(abilityOf(req), p.id, dto);
  }

  @Delete('templates/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'ShiftTemplate'))
  @ApiOperation({ summary: 'Remove a weekly shift' })
  @ApiNotFoundResponse({ description: 'no such shift in this store' })
  async deleteTemplate(@Req() req: AppRequest, @Param() p: IdParam): Promise<void> {
    await this.shifts.deleteTemplate(abilityOf(req), p.id);
  }

  @Get('technicians/:technicianId/overrides')
  @CheckPolicies((a) => a.can('read', 'ShiftOverride'))
  @ApiOperation({ summary: 'Per-date overrides and leave between two local dates (inclusive)' })
  @ApiOkResponse({ type: [ShiftOverrideView] })
  listOverrides(@Req() req: AppRequest, @Param() p: TechnicianIdParam, @Query() q: OverrideRangeQuery) {
    return this.shifts.listOverrides(abilityOf(req), p.technicianId, q.from, q.to);
  }

  @Post('technicians/:technicianId/overrides')
  @CheckPolicies((a) => a.can('create', 'ShiftOverride'))
  @ApiOperation({ summary: 'Work on a different shift that day, take the day off, or take (partial) leave' })
  @ApiOkResponse({ type: ShiftOverrideView })
  createOverride(@Req() req: AppRequest, @Param() p: TechnicianIdParam, @Body() dto: CreateShiftOverrideDto) {
    return this.shifts.createOverride(abilityOf(req), p.technicianId, dto);
  }

  @Delete('overrides/:id')
  @HttpCode(204)
  @CheckPolicies((a) => a.can('delete', 'ShiftOverride'))
  @ApiOperation({ summary: 'Remove an override or leave' })
  @ApiNotFoundResponse({ description: 'no such override in this store' })
  async deleteOverride(@Req() req: AppRequest, @Param() p: IdParam): Promise<void> {
    await this.shifts.deleteOverride(abilityOf(req), p.id);
  }

  @Get('technicians/:technicianId/week')
  @CheckPolicies((a) => a.can('read', 'ShiftTemplate'))
  @ApiOperation({ summary: 'Concrete shifts and busy time for 7 days, in the store timezone' })
  @ApiOkResponse({ type: WeekView })
  week(
    @Req() req: AppRequest,
    @CurrentTenant() tenant: TenantInfo,
    @Param() p: TechnicianIdParam,
    @Query() q: WeekQuery,
  ): Promise<WeekView> {
    return this.shifts.week(abilityOf(req), p.technicianId, tenant.timezone, q.start);
  }

  @Get('booking-settings')
  @CheckPolicies((a) => a.can('read', 'BookingSettings'))
  @ApiOperation({ summary: 'Booking rules: slot grid, lead time, days ahead, buffer, ETA parameters' })
  @ApiOkResponse({ type: BookingSettingsView })
  getSettings(): Promise<BookingSettingsView> {
    return this.settings.get();
  }

  @Put('booking-settings')
  @CheckPolicies((a) => a.can('update', 'BookingSettings'))
  @ApiOperation({ summary: 'Change booking rules (fields left out keep their value)' })
  @ApiOkResponse({ type: BookingSettingsView })
  putSettings(@CurrentActor() actor: Actor, @Body() dto: UpdateBookingSettingsDto): Promise<BookingSettingsView> {
    return this.settings.update(actor, dto);
  }
}
