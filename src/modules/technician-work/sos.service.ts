import { Injectable, NotFoundException, Optional } from '@nestjs/common';
import type { SosAlert } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { RealtimeHub } from '../../platform/realtime/realtime-hub';
import { NotificationService } from '../notifications/notification.service';
import type { SosDto, SosView } from './dto/technician-work.dto';
import { TechnicianWorkRepository } from './technician-work.repository';

/**
 * 紧急求助: the alert is stored, pushed at once on the store's `staff` feed (after commit) and
 * sent to every active staff member (in-app + SMS). Without a reported position the
 * technician's last known one is used.
 */
@Injectable()
export class SosService {
  constructor(
    private readonly repo: TechnicianWorkRepository,
    private readonly hub: RealtimeHub,
    private readonly tenantContext: TenantContext,
    private readonly audit: AuditService,
    @Optional() private readonly notifications?: NotificationService,
  ) {}

  async raise(actor: Actor, body: SosDto): Promise<SosView> {
    const tech = await this.repo.technician(actor.id);
    if (!tech) throw new NotFoundException({ code: 'TECHNICIAN_NOT_FOUND', message: 'technician not found' });
    const reported = body.lat !== undefined && body.lng !== undefined;
    const known = tech.lastLat !== null && tech.lastLng !== null;
    const lat = reported ? body.lat! : known ? tech.lastLat : null;
    const lng = reported ? body.lng! : known ? tech.lastLng : null;
    const order = await this.repo.activeOrder(actor.id);
    const alert = await this.repo.insertSos({
      technicianId: actor.id,
      orderId: order?.id ?? null,
      lat,
      lng,
      locationSource: reported ? 'reported' : known ? 'last_known' : 'none',
      note: body.note ?? null,
    });
    const view = sosView(alert, tech.name);
    await this.hub.publish(this.tenantContext.tenantId(), 'staff', {
      type: 'sos',
      data: { ...view, orderNo: order?.orderNo ?? null, createdAt: alert.createdAt.toISOString() },
    });
    await this.notifications?.notifyStaff({
      template: 'staff.sos',
      params: { orderNo: order?.orderNo ?? null, technicianName: tech.name ?? '技师' },
      channels: ['in_app', 'sms'],
      orderId: order?.id ?? null,
    });
    await this.audit.record({
      actorType: 'technician',
      actorId: actor.id,
      action: 'technician.sos',
      targetType: 'sos_alert',
      targetId: alert.id,
      details: { lat, lng, orderId: order?.id ?? null },
    });
    return view;
  }

  async list(ability: AppAbility, status?: string): Promise<SosView[]> {
    const rows = await this.repo.listSos({
      AND: [accessibleBy(ability, 'read').ofType('SosAlert'), status ? { status } : {}],
    });
    return rows.map((r) => sosView(r));
  }

  async ack(ability: AppAbility, actor: Actor, id: string): Promise<SosView> {
    const row = await this.repo.findSos({ AND: [accessibleBy(ability, 'update').ofType('SosAlert'), { id }] });
    if (!row) throw new NotFoundException({ code: 'SOS_NOT_FOUND', message: 'alert not found' });
    if (row.status === 'acknowledged') return sosView(row);
    const updated = await this.repo.updateSos(id, {
      status: 'acknowledged',
      acknowledgedBy: actor.id,
      acknowledgedAt: new Date(),
    });
    await this.hub.publish(this.tenantContext.tenantId(), 'staff', {
      type: 'sos.acknowledged',
      data: { id, by: actor.id },
    });
    return sosView(updated);
  }
}

export function sosView(a: SosAlert, technicianName?: string | null): SosView {
  return {
    id: a.id,
    technicianId: a.technicianId,
    ...(technicianName !== undefined ? { technicianName } : {}),
    orderId: a.orderId,
    lat: a.lat,
    lng: a.lng,
    locationSource: a.locationSource,
    note: a.note,
    status: a.status,
    createdAt: a.createdAt,
  };
}
