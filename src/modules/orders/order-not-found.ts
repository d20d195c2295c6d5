import { NotFoundException } from '@nestjs/common';

/** 404 for an order that does not exist or is not visible to the caller (the same answer either way). */
export const orderNotFound = () => new NotFoundException({ code: 'ORDER_NOT_FOUND', message: 'order not found' });
