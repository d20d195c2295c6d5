import { describe, expect, it } from 'vitest';
import { maskStorePhone, STORE_PHONE } from './store-phone';

describe('store phone', () => {
  it('accepts landlines, mobiles and 400 numbers', () => {
    for (const ok of ['021-62881788', '01064168899', '13812341234', '400-820-8820'])
      expect(STORE_PHONE.test(ok)).toBe(true);
    for (const bad of ['12345', '+1 555 0100', '021-123', 'abc']) expect(STORE_PHONE.test(bad)).toBe(false);
  });
  it('keeps the first three and last four digits', () => {
    expect(maskStorePhone('021-62881788')).toBe('021****1788');
    expect(maskStorePhone('13812341234')).toBe('138****1234');
    expect(maskStorePhone('12')).toBe('****');
  });
});
