import { Injectable } from '@nestjs/common';
import { AuditService } from '../../platform/audit/audit.service';
import type { Actor } from '../../platform/auth/actor';
import type { DispatchSettingsView } from './dispatch-settings';
import { DispatchRepository } from './dispatch.repository';
import type { DispatchSettingsDto, UpdateDispatchSettingsDto } from './dto/dispatch-settings.dto';
import { BadRequestException } from '@nestjs/common';

const view = (s: DispatchSettingsView): DispatchSettingsDto => ({ ...s, offersAtOnce: 1 });

@Injectable()
export class DispatchSettingsService {
  constructor(
    private readonly repo: DispatchRepository,
    private readonly audit: AuditService,
  ) {}

  async get(): Promise<DispatchSettingsDto> {
    return view(await this.repo.settings());
  }

  async update(actor: Actor, changes: UpdateDispatchSettingsDto): Promise<DispatchSettingsDto> {
    const steps = changes.radiusStepsM;
    if (steps && steps.some((m, i) => i > 0 && m <= steps[i - 1]!)) {
      throw new BadRequestException({
        code: 'VALIDATION_FAILED',
        message: 'radius steps must increase',
        fields: [{ field: 'radiusStepsM', messages: ['半径须逐级增大 / each step must be wider than the one before'] }],
      });
    }
    const saved = await this.repo.saveSettings({ ...changes }, actor.id);
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: 'dispatch_settings.updated',
      targetType: 'dispatch_settings',
      details: { ...changes },
    });
    return view(saved);
  }
}
