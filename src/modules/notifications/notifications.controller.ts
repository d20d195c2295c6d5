import { Controller, ForbiddenException, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { CheckPolicies } from '../../platform/authz/check-policies';
import { CurrentActor, type AppRequest } from '../../platform/http/request-context';
import { TenantScoped } from '../../platform/http/route-metadata';
import { ListNotificationsQuery, NotificationDto, NotificationPageDto, ReadAllResultDto } from './dto/notification.dto';
import { NotificationCentreService } from './notification-centre.service';

const abilityOf = (req: AppRequest): AppAbility => {
  if (!req.ability) throw new ForbiddenException();
  return req.ability;
};

/** The signed-in customer's, technician's or staff member's own notification centre (站内信). */
@ApiTags('notifications')
@ApiBearerAuth()
@TenantScoped()
@Controller('api/notifications')
export class NotificationsController {
  constructor(private readonly centre: NotificationCentreService) {}

  @Get()
  @CheckPolicies((a) => a.can('read', 'Notification'))
  @ApiOperation({ summary: 'My notifications, newest first, with my unread count' })
  @ApiOkResponse({ type: NotificationPageDto })
  @ApiBadRequestResponse({ description: 'bad page, pageSize or unread (named in `fields`)' })
  list(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Query() query: ListNotificationsQuery,
  ): Promise<NotificationPageDto> {
    return this.centre.list(abilityOf(req), actor, query);
  }

  @Post('read-all')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Notification'))
  @ApiOperation({ summary: 'Mark all my notifications read' })
  @ApiOkResponse({ type: ReadAllResultDto })
  readAll(@Req() req: AppRequest, @CurrentActor() actor: Actor): Promise<ReadAllResultDto> {
    return this.centre.readAll(abilityOf(req), actor);
  }

  @Post(':id/read')
  @HttpCode(200)
  @CheckPolicies((a) => a.can('update', 'Notification'))
  @ApiOperation({ summary: 'Mark one of my notifications read (the first read time is kept)' })
  @ApiOkResponse({ type: NotificationDto })
  @ApiNotFoundResponse({ description: 'no such notification of mine' })
  read(
    @Req() req: AppRequest,
    @CurrentActor() actor: Actor,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<NotificationDto> {
    return this.centre.read(abilityOf(req), actor, id);
  }
}
