import { BadRequestException, ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import type { Withdrawal } from '../../generated/prisma/client';
import type { Actor } from '../../platform/auth/actor';
import type { AppAbility } from '../../platform/authz/app-ability';
import { accessibleBy } from '../../platform/authz/casl-prisma';
import { AuditService } from '../../platform/audit/audit.service';
import { TenantContext } from '../../platform/database/tenant-context';
import { TenantDirectory } from '../../platform/tenancy/tenant-directory';
import { Accounts } from '../ledger/ledger-accounts';
import { technicianPayout } from '../ledger/ledger-postings';
import { LedgerService } from '../ledger/ledger.service';
import type { IncomeQuery, IncomeView, WithdrawalView } from './dto/technician-work.dto';
import { bucketIncome } from './income-periods';
import { TechnicianWorkRepository } from './technician-work.repository';

const DAY_MS = 86_400_000;

/**
 * Income comes from the ledger only (credits to `technician_payable:<id>` — order settlements,
 * cancellation-fee shares), so the statistics equal the journal by construction. Withdrawals
 * reserve their amount while pending/approved; paying one posts `technician_payout`.
 */
@Injectable()
export class IncomeService {
  constructor(
    private readonly repo: TechnicianWorkRepository,
    private readonly ledger: LedgerService,
    private readonly directory: TenantDirectory,
    private readonly tenantContext: TenantContext,
    private readonly audit: AuditService,
  ) {}

  async income(actor: Actor, q: IncomeQuery): Promise<IncomeView> {
    const to = q.to ? new Date(q.to) : new Date();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from.getTime() >= to.getTime()) {
      throw new BadRequestException({
        code: 'INVALID_RANGE',
        message: 'from must be before to',
        fields: [{ field: 'from', messages: ['from must be before to'] }],
      });
    }
    const store = await this.directory.findById(this.tenantContext.tenantId());
    const timezone = store?.timezone ?? 'Asia/Shanghai';
    const period = q.period ?? 'day';
    const buckets = bucketIncome(await this.repo.earnings(actor.id, from, to), period, timezone);
    const { balanceFen, availableFen } = await this.balances(actor.id);
    return {
      period,
      timezone,
      buckets,
      totalCount: buckets.reduce((s, b) => s + b.count, 0),
      totalFen: buckets.reduce((s, b) => s + b.amountFen, 0),
      balanceFen,
      availableFen,
    };
  }

  async withdraw(actor: Actor, amountFen: number): Promise<WithdrawalView> {
    await this.repo.lockTechnician(actor.id); // one request at a time per technician
    const { availableFen } = await this.balances(actor.id);
    if (amountFen > availableFen) {
      const message = `可提现余额 ${availableFen} 分 / at most ${availableFen} fen is available`;
      throw new BadRequestException({
        code: 'INSUFFICIENT_BALANCE',
        message,
        fields: [{ field: 'amountFen', messages: [message] }],
      });
    }
    const w = await this.repo.insertWithdrawal(actor.id, amountFen);
    await this.audit.record({
      actorType: 'technician',
      actorId: actor.id,
      action: 'withdrawal.requested',
      targetType: 'withdrawal',
      targetId: w.id,
      details: { amountFen },
    });
    return withdrawalView(w);
  }

  async list(ability: AppAbility, status?: string): Promise<WithdrawalView[]> {
    const rows = await this.repo.listWithdrawals({
      AND: [accessibleBy(ability, 'read').ofType('Withdrawal'), status ? { status } : {}],
    });
    return rows.map(withdrawalView);
  }

  async decide(
    ability: AppAbility,
    actor: Actor,
    id: string,
    decision: 'approve' | 'reject' | 'paid',
    text: string | null,
  ): Promise<WithdrawalView> {
    if (!(await this.repo.findWithdrawal({ AND: [accessibleBy(ability, 'approve').ofType('Withdrawal'), { id }] }))) {
      throw notFound();
    }
    const w = await this.repo.lockWithdrawal(id);
    if (!w) throw notFound();
    const from = decision === 'paid' ? 'approved' : 'pending';
    if (w.status !== from) {
      throw new ConflictException({
        code: 'ILLEGAL_WITHDRAWAL_STATE',
        message: `提现状态为 ${w.status}，不能执行 ${decision} / a ${w.status} withdrawal cannot be ${decision}`,
      });
    }
    const now = new Date();
    let updated: Withdrawal;
    if (decision === 'paid') {
      await this.ledger.post(
        technicianPayout({
          technicianId: w.technicianId,
          withdrawalId: w.id,
          amountFen: w.amountFen,
          reference: text ?? '',
        }),
      );
      updated = await this.repo.updateWithdrawal(id, { status: 'paid', reference: text, paidAt: now });
    } else {
      updated = await this.repo.updateWithdrawal(id, {
        status: decision === 'approve' ? 'approved' : 'rejected',
        reason: text,
        decidedBy: actor.id,
        decidedAt: now,
      });
    }
    await this.audit.record({
      actorType: 'staff',
      actorId: actor.id,
      action: `withdrawal.${decision}`,
      targetType: 'withdrawal',
      targetId: id,
      details: { amountFen: w.amountFen, text },
    });
    return withdrawalView(updated);
  }

  private async balances(technicianId: string): Promise<{ balanceFen: number; availableFen: number }> {
    const balanceFen = -(await this.ledger.balance(Accounts.technicianPayable(technicianId)));
    const reserved = await this.repo.reservedFen(technicianId);
    return { balanceFen, availableFen: Math.max(0, balanceFen - reserved) };
  }
}

const notFound = () => new NotFoundException({ code: 'WITHDRAWAL_NOT_FOUND', message: 'withdrawal not found' });

export function withdrawalView(w: Withdrawal): WithdrawalView {
  return {
    id: w.id,
    technicianId: w.technicianId,
    amountFen: w.amountFen,
    status: w.status,
    reason: w.reason,
    reference: w.reference,
    createdAt: w.createdAt,
  };
}
