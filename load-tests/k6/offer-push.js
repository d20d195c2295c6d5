// k6 version of the `offer-push` bench scenario (load-tests/scenarios/offer-push.ts). k6 has no
// SSE client, so this script only approximates it: `saturation` keeps 100 technicians' event
// streams (/api/events) open with long-running GETs, while `latency` pays one order a second with
// the sandbox provider and confirms it (the confirmation request is what is timed here; the
// runner's drive() hook times the offer's arrival on each stream, which k6 cannot observe).
//
//   k6 run -e BASE_URL=https://api.example.com -e SLUG=bench-push -e CUSTOMER_TOKEN=<token> \
//          -e TECHNICIAN_TOKENS=<t1,t2,...> -e ORDER_IDS=<id1,id2,...> load-tests/k6/offer-push.js
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SLUG = __ENV.SLUG || 'bench-push';
const CUSTOMER_TOKEN = __ENV.CUSTOMER_TOKEN;
const TECHNICIAN_TOKENS = (__ENV.TECHNICIAN_TOKENS || '').split(',').filter(Boolean);
const ORDER_IDS = (__ENV.ORDER_IDS || '').split(',').filter(Boolean);

export const options = {
  scenarios: {
    saturation: {
      executor: 'constant-vus',
      vus: 100,
      duration: '10s',
      exec: 'listen',
      tags: { phase: 'saturation' },
    },
    latency: {
      executor: 'constant-arrival-rate',
      rate: 1,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs: 2,
      maxVUs: 5,
      tags: { phase: 'latency' },
    },
  },
  thresholds: {
    'http_req_duration{phase:latency}': ['p(95)<=200'],
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

/** One technician's event stream, held open (the response is cut by the timeout, not an error). */
export function listen() {
  const token = TECHNICIAN_TOKENS[exec.vu.idInTest % TECHNICIAN_TOKENS.length];
  http.get(`${BASE_URL}/t/${SLUG}/api/events`, {
    headers: { authorization: `Bearer ${token}` },
    timeout: '9s',
    responseCallback: http.expectedStatuses(0, 200),
    tags: { name: 'GET /t/{slug}/api/events' },
  });
}

export default function () {
  const orderId = ORDER_IDS[exec.scenario.iterationInTest % ORDER_IDS.length];
  const pay = http.post(`${BASE_URL}/t/${SLUG}/api/orders/${orderId}/pay`, JSON.stringify({ method: 'sandbox' }), {
    headers: { authorization: `Bearer ${CUSTOMER_TOKEN}`, 'content-type': 'application/json' },
    tags: { name: 'POST /t/{slug}/api/orders/{id}/pay' },
  });
  const outTradeNo = pay.status === 200 ? pay.json('payment.outTradeNo') : null;
  const confirm = http.post(`${BASE_URL}/t/${SLUG}/api/payments/sandbox/checkout/${outTradeNo}/pay`, null, {
    tags: { name: 'POST /t/{slug}/api/payments/sandbox/checkout/{outTradeNo}/pay' },
  });
  check(confirm, { 'payment confirmed': (r) => r.status === 200 });
}
