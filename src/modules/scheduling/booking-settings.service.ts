import { Injectable } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import { BookingSettingsRepository } from './booking-settings.repository';
import type { BookingSettingsView, UpdateBookingSettingsDto } from './dto/booking-settings.dto';

@Injectable()
export class BookingSettingsService {
  constructor(
    private readonly repo: BookingSettingsRepository,
    private readonly audit: AuditService,
  ) {}

  get(): Promise<BookingSettingsView> {
    return this.repo.find();
  }

  async update(actor: Actor, changes: UpdateBookingSettingsDto): Promise<BookingSettingsView> {
    const saved = await this.repo.save(changes);
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: 'booking_settings.updated',
      targetType: 'booking_settings',
      details: { ...changes },
    });
    return saved;
  }
}
