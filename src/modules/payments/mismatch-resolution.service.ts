import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Actor } from '../../platform/auth/actor';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import type { PaymentMismatch } from '../../generated/prisma/client';
import type { MismatchView } from './dto/reconciliation.dto';

export function mismatchView(m: PaymentMismatch): MismatchView {
  return {
    id: m.id,
    provider: m.provider,
    source: m.source,
    kind: m.kind,
    paymentId: m.paymentId,
    outTradeNo: m.outTradeNo,
    refundId: m.refundId,
    outRefundNo: m.outRefundNo,
    details: m.details as Record<string, unknown>,
    resolvedAt: m.resolvedAt,
    resolvedBy: m.resolvedBy,
    resolution: m.resolution,
    createdAt: m.createdAt,
  };
}

/**
 * Closing a reconciliation finding (对账差异): a manager records what they found or did; who and
 * when are kept, and the audit log has it. Sending the same resolution again (a retried request)
 * returns the finding unchanged; a different one for a closed finding is a conflict.
 */
@Injectable()
export class MismatchResolutionService {
  constructor(
    private readonly tenantContext: TenantContext,
    private readonly audit: AuditService,
  ) {}

  async resolve(actor: Actor, id: string, resolution: string): Promise<MismatchView> {
    const db = this.tenantContext.db();
    const { count } = await db.paymentMismatch.updateMany({
      where: { id, resolvedAt: null },
      data: { resolvedAt: new Date(), resolvedBy: actor.id, resolution },
    });
    const found = await db.paymentMismatch.findFirst({ where: { id } });
    if (!found) throw new NotFoundException({ code: 'MISMATCH_NOT_FOUND', message: 'finding not found' });
    if (count === 0) {
      if (found.resolvedBy === actor.id && found.resolution === resolution) return mismatchView(found);
      throw new ConflictException({
        code: 'MISMATCH_ALREADY_RESOLVED',
        message: '该差异已处理 / this finding was already resolved',
      });
    }
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: 'payments.mismatch_resolved',
      targetType: 'payment_mismatch',
      targetId: id,
      details: { kind: found.kind, outTradeNo: found.outTradeNo, outRefundNo: found.outRefundNo, resolution },
    });
    return mismatchView(found);
  }
}
