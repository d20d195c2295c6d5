// k6 version of the `grab-storm` bench scenario (load-tests/scenarios/grab-storm.ts): technicians
// on duty claim open grab orders; each order is claimed several times in a row, so most answers
// are 409 ALREADY_TAKEN / SLOT_TAKEN (correct) and some are wins (200, status accepted: the claim is the acceptance).
//
//   k6 run -e BASE_URL=https://api.example.com -e SLUG=bench-grab \
//          -e TOKENS=<tok1,tok2,...> -e ORDER_IDS=<id1,id2,...> load-tests/k6/grab-storm.js
//
// `saturation` runs 100 concurrent users; `latency` then offers a fixed 100 claims/s and its
// thresholds mirror the bench targets (p99 <= 50 ms, no unexpected statuses). One winner per
// order is checked in the database after the run (see the scenario's verify hook).
import http from 'k6/http';
import { check } from 'k6';
import exec from 'k6/execution';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SLUG = __ENV.SLUG || 'bench-grab';
const TOKENS = (__ENV.TOKENS || '').split(',').filter(Boolean);
const ORDER_IDS = (__ENV.ORDER_IDS || '').split(',').filter(Boolean);
const CLAIMS_PER_ORDER = 4;

// 409 (taken / slot taken) is a correct answer, not a failure.
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 409));

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
      rate: 100,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs: 20,
      maxVUs: 100,
      startTime: '12s',
      tags: { phase: 'latency' },
    },
  },
  thresholds: {
    'http_req_duration{phase:latency}': ['p(99)<=50'],
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

export default function () {
  const i = exec.scenario.iterationInTest;
  const orderId = ORDER_IDS[Math.floor(i / CLAIMS_PER_ORDER) % ORDER_IDS.length];
  const token = TOKENS[(i * 7919) % TOKENS.length];
  const res = http.post(`${BASE_URL}/t/${SLUG}/api/grab/orders/${orderId}/claim`, null, {
    headers: { authorization: `Bearer ${token}` },
    tags: { name: 'POST /t/{slug}/api/grab/orders/{id}/claim' },
  });
  check(res, {
    'won or told it is taken': (r) =>
      (r.status === 200 && r.json('status') === 'accepted') ||
      (r.status === 409 && ['ALREADY_TAKEN', 'SLOT_TAKEN'].includes(r.json('code'))),
  });
}
