import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG } from '../../config/load-config';
import type { AppConfig } from '../../config/config.schema';
import { LedgerService } from '../ledger/ledger.service';
import { poolTakerSettlement } from '../ledger/pool-postings';
import { DEFAULT_COMMISSION_BPS } from '../payments/order-settlement.service';
import { callPool } from './pool-errors';
import { PoolWorkRepository } from './pool-work.repository';
import type { PoolActor } from './shared-pool.repository';

/**
 * 结算 of a completed shared-pool order, in both stores' ledgers in one transaction: the giving
 * store's side through the audited platform path (platform.settle_pool_order: the order's money
 * earned, the share as expense owed to the network, the platform fee as for any order), this
 * (taking) store's side in its own ledger (the share owed by the network, the technician's
 * commission by this store's rates, the rest pool revenue). Both are keyed by the pool offer, so
 * settling again — a retried completion, a sweep — posts nothing more.
 */
@Injectable()
export class PoolSettlementService {
  constructor(
    private readonly repo: PoolWorkRepository,
    private readonly ledger: LedgerService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async settle(offerId: string, technicianId: string, actor: PoolActor): Promise<{ shareFen: number }> {
    const { shareFen } = await callPool(() =>
      this.repo.settle(offerId, technicianId, this.config.PLATFORM_FEE_BPS, actor),
    );
    const commissionBps = (await this.repo.commissionBps(technicianId)) ?? DEFAULT_COMMISSION_BPS;
    const posting = poolTakerSettlement({ offerId, technicianId, shareFen, commissionBps });
    if (posting) await this.ledger.post(posting);
    return { shareFen };
  }
}
