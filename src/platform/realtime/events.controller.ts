import { Controller, Get, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Actor } from '../auth/actor';
import type { TenantInfo } from '../tenancy/tenant-directory';
import { AllowClosedStore, NoTransaction, TenantScoped } from '../http/route-metadata';
import { type AppRequest, CurrentActor, CurrentTenant } from '../http/request-context';
import { RealtimeHub } from './realtime-hub';
import { topicsFor } from './actor-topics';

const HEARTBEAT_MS = 15_000;

/**
 * Server-sent events for the signed-in principal: order status for customers, offers and the
 * grab hall for technicians, alerts (SOS, overruns) for staff. Use fetch() with the bearer token
 * (EventSource cannot send headers; tokens in URLs end up in logs).
 */
@ApiTags('realtime')
@ApiBearerAuth()
@TenantScoped()
@AllowClosedStore()
@Controller('api/events')
export class EventsController {
  constructor(private readonly hub: RealtimeHub) {}

  @Get()
  @NoTransaction()
  @ApiOperation({ summary: 'Live events (text/event-stream) for the signed-in customer, technician or staff member' })
  @ApiOkResponse({ description: 'an endless text/event-stream; a comment line every 15 s keeps it open' })
  async stream(
    @CurrentActor() actor: Actor,
    @CurrentTenant() tenant: TenantInfo,
    @Req() req: AppRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(req.id),
    });
    raw.write(`retry: 3000\n: connected\n\n`);
    const unsubscribe = await this.hub.subscribe(tenant.id, topicsFor(actor), (event) => {
      raw.write(`event: ${event.type}\ndata: ${JSON.stringify({ ...(event.data as object), at: event.at })}\n\n`);
    });
    const heartbeat = setInterval(() => raw.write(`: ping\n\n`), HEARTBEAT_MS);
    const close = () => {
      clearInterval(heartbeat);
      void unsubscribe();
    };
    raw.on('close', close);
  }
}
