import type { Payment } from '../../generated/prisma/client';
import type { PaymentView } from './dto/pay.dto';

/** What clients see of a payment: never the merchant or provider internals. */
export function paymentView(p: Payment): PaymentView {
  return {
    id: p.id,
    orderId: p.orderId,
    kind: p.kind,
    provider: p.provider,
    outTradeNo: p.outTradeNo,
    amountFen: p.amountFen,
    currency: p.currency,
    status: p.status,
    paidAt: p.paidAt,
    createdAt: p.createdAt,
  };
}
