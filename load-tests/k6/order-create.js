// k6 version of the `order-create` bench scenario (load-tests/scenarios/order-create.ts): a customer
// quotes, books a chosen technician and starts a sandbox payment in the same request (下单即支付),
// and confirms it on the sandbox checkout page (3 requests per order; 300 requests/s = 100 orders/s).
//
//   k6 run -e BASE_URL=https://api.example.com -e SLUG=<store> -e TOKEN=<customer token> \
//          -e SERVICE_ID=<uuid> -e ADDRESS_ID=<uuid> -e TECHNICIANS=<uuid,uuid,...> load-tests/k6/order-create.js
//
// The store must have the sandbox provider enabled (PAYMENT_SANDBOX_ENABLED=true). Each iteration
// books its own technician slot (technician i % T, 90 minutes later per round), so a 409 is a bug.
// `options` stays a plain literal: test/load-scenarios.test.ts reads it and compares it with the
// runner's targets.
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SLUG = __ENV.SLUG || 'bench-order';
const TOKEN = __ENV.TOKEN || '';
const SERVICE_ID = __ENV.SERVICE_ID || '';
const ADDRESS_ID = __ENV.ADDRESS_ID || '';
const TECHNICIANS = (__ENV.TECHNICIANS || '').split(',').filter(Boolean);

export const options = {
  scenarios: {
    saturation: {
      executor: 'constant-vus',
      vus: 100,
      duration: '10s',
      tags: { phase: 'saturation' },
    },
    latency: {
      executor: 'constant-arrival-rate',
      rate: 300,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs: 100,
      maxVUs: 400,
      startTime: '12s',
      tags: { phase: 'latency' },
    },
  },
  thresholds: {
    'http_req_duration{phase:latency}': ['p(99)<=60'],
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };

export default function () {
  const n = exec.scenario.iterationInTest;
  // from the day after tomorrow: tomorrow 00:00 can fall inside the store's lead time late in the evening
  const first = new Date();
  first.setUTCDate(first.getUTCDate() + 2);
  first.setUTCHours(0, 0, 0, 0);
  const startAt = new Date(first.getTime() + Math.floor(n / TECHNICIANS.length) * 90 * 60000).toISOString();
  const base = `${BASE_URL}/t/${SLUG}/api`;
  const quote = http.post(
    `${base}/quotes`,
    JSON.stringify({
      serviceId: SERVICE_ID,
      durationMinutes: 60,
      addons: [],
      addressId: ADDRESS_ID,
      technicianId: TECHNICIANS[n % TECHNICIANS.length],
      startAt,
    }),
    { headers, tags: { name: 'POST /quotes' } },
  );
  if (!check(quote, { 'quote 201': (r) => r.status === 201 })) return;
  const order = http.post(
    `${base}/orders`,
    JSON.stringify({ quoteId: quote.json('id'), paymentMethod: 'sandbox', pay: {} }),
    { headers: { ...headers, 'idempotency-key': `k6-${n}-${Date.now()}` }, tags: { name: 'POST /orders' } },
  );
  if (!check(order, { 'order 201 with a payment': (r) => r.status === 201 && !!r.json('checkout.payment') })) return;
  const done = http.post(`${base}/payments/sandbox/checkout/${order.json('checkout.payment.outTradeNo')}/pay`, null, {
    tags: { name: 'POST /payments/sandbox/checkout/{no}/pay' },
  });
  check(done, { confirmed: (r) => r.status === 200 && r.json('code') === 'SUCCESS' });
}
