import { Injectable } from '@nestjs/common';
import type { Prisma } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import type { OrderSettingsDto, UpdateOrderSettingsDto } from './dto/order-settings.dto';
import { effectiveSettings } from './order-settings';
import { OrdersRepository } from './orders.repository';

/** Read and change `order_settings` (timers and the cancellation policy read it per order). */
@Injectable()
export class OrderSettingsService {
  constructor(
    private readonly repo: OrdersRepository,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<OrderSettingsDto> {
    return view(effectiveSettings(await this.repo.settings()));
  }

  async update(actor: Actor, body: UpdateOrderSettingsDto, ip: string): Promise<OrderSettingsDto> {
    const current = view(effectiveSettings(await this.repo.settings()));
    // DTO instances carry every declared field, absent ones as undefined: keep only what was sent
    const sent = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined));
    const next = { ...current, ...sent };
    const row = await this.repo.upsertSettings({
      ...next,
      cancellationFees: next.cancellationFees.map((f) => ({ ...f })) as unknown as Prisma.InputJsonValue,
    });
    await this.audit.record({
      actorType: actor.kind === 'operator' ? 'operator' : actor.kind,
      actorId: actor.id,
      action: 'order_settings.updated',
      targetType: 'order_settings',
      ip,
      details: { changed: Object.keys(sent) },
    });
    return view(effectiveSettings(row));
  }
}

function view(s: ReturnType<typeof effectiveSettings>): OrderSettingsDto {
  return {
    orderNumberPrefix: s.orderNumberPrefix,
    unpaidTimeoutMinutes: s.unpaidTimeoutMinutes,
    reminderMinutesBefore: s.reminderMinutesBefore,
    overrunGraceMinutes: s.overrunGraceMinutes,
    freeCancelMinutes: s.cancellation.freeCancelMinutes,
    cancellationFees: [...s.cancellation.fees],
    technicianFeeSharePct: s.cancellation.technicianSharePct,
  };
}
