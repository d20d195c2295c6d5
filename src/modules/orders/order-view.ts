import type { Order, OrderEvent } from '../../generated/prisma/client';
import type { QuoteLine } from '../catalog/price-quote';
import type { OrderAddressDto, OrderDto } from './dto/order.dto';

/** The address snapshot sealed into `orders.address_enc` (AAD = tenant + column). */
export interface AddressSnapshot {
  contactName: string;
  phone: string;
  addressText: string;
  houseNumber: string;
}

export const ORDER_ADDRESS_AAD = (tenantId: string) => `${tenantId}:orders.address`;

export function orderView(o: Order, extra: { address?: AddressSnapshot; events?: OrderEvent[] } = {}): OrderDto {
  const address: OrderAddressDto | undefined = extra.address && {
    contactName: extra.address.contactName,
    phoneMasked: o.contactPhoneMasked,
    addressText: extra.address.addressText,
    houseNumber: extra.address.houseNumber,
    kind: o.addressKind,
    lat: o.addressLat,
    lng: o.addressLng,
  };
  return {
    id: o.id,
    orderNo: o.orderNo,
    status: o.status,
    customerId: o.customerId,
    paymentMethod: o.paymentMethod,
    serviceId: o.serviceId,
    serviceName: o.serviceName,
    durationMinutes: o.durationMinutes,
    totalMinutes: o.totalMinutes,
    technicianId: o.technicianId,
    startAt: o.startAt,
    endAt: o.endAt,
    lines: o.lines as unknown as QuoteLine[],
    totalFen: o.totalFen,
    paidFen: o.paidFen,
    refundedFen: o.refundedFen,
    notes: o.notes,
    paymentDueAt: o.paymentDueAt,
    ...(address ? { address } : {}),
    ...(extra.events
      ? {
          events: extra.events.map((e) => ({
            event: e.event,
            fromStatus: e.fromStatus,
            toStatus: e.toStatus,
            actorType: e.actorType,
            reason: e.reason,
            createdAt: e.createdAt,
          })),
        }
      : {}),
    createdAt: o.createdAt,
  };
}
