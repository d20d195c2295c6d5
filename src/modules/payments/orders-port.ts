import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Order } from '../../generated/prisma/client';
import { OrdersPaymentPort } from '../orders/orders-payment.port';

/**
 * The orders module's payment port, looked up lazily: payments boots even where the orders
 * module is not registered (the port is then missing and paying fails loudly, not silently).
 */
@Injectable()
export class OrdersPort {
  private port?: OrdersPaymentPort;

  constructor(private readonly moduleRef: ModuleRef) {}

  private get(): OrdersPaymentPort {
    this.port ??= this.moduleRef.get(OrdersPaymentPort, { strict: false });
    return this.port;
  }

  /** Locks the whole order row (FOR UPDATE) and returns it, for markPaid's `locked`. */
  lockOrder(orderId: string): Promise<Order | null> {
    return this.get().lock(orderId);
  }

  markPaid(orderId: string, payment: { paymentId: string; amountFen: number }, opts: { locked?: Order } = {}) {
    return this.get().markPaid(orderId, payment, opts);
  }

  markExtensionPaid(extensionId: string, payment: { paymentId: string; amountFen: number }) {
    return this.get().markExtensionPaid(extensionId, payment);
  }

  markRefunded(orderId: string, amountFen: number) {
    return this.get().markRefunded(orderId, amountFen);
  }
}
