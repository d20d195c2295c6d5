// k6 version of the `availability` bench scenario (load-tests/scenarios/availability.ts): an
// anonymous customer asks for every bookable 90-minute start over 7 days, any technician, in a
// store with 50 technicians on shifts with existing bookings.
//
//   k6 run -e BASE_URL=https://api.example.com -e SLUG=bench-avail -e SERVICE_ID=<uuid> \
//          -e FROM=2026-11-26 -e TO=2026-12-02 load-tests/k6/availability.js
//
// `saturation` measures throughput with 100 concurrent users; `latency` then offers a fixed 20
// requests/s and its thresholds mirror the bench targets (p99 <= 30 ms, no errors).
// `options` stays a plain literal: test/load-scenarios.test.ts reads it and compares it with the
// runner's targets.
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SLUG = __ENV.SLUG || 'bench-avail';
const SERVICE_ID = __ENV.SERVICE_ID;
const LAT = __ENV.LAT || '31.2304';
const LNG = __ENV.LNG || '121.4737';
// Default window: tomorrow and the 6 days after it, in Asia/Shanghai (UTC+8, no DST).
const DAY = 86400000;
const shanghaiDate = (offsetDays) => new Date(Date.now() + 8 * 3600000 + offsetDays * DAY).toISOString().slice(0, 10);
const FROM = __ENV.FROM || shanghaiDate(1);
const TO = __ENV.TO || shanghaiDate(7);

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
      rate: 20,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs: 10,
      maxVUs: 50,
      startTime: '12s',
      tags: { phase: 'latency' },
    },
  },
  thresholds: {
    'http_req_duration{phase:latency}': ['p(99)<=30'],
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

export default function () {
  const url =
    `${BASE_URL}/t/${SLUG}/api/availability?serviceId=${SERVICE_ID}&durationMinutes=90` +
    `&lat=${LAT}&lng=${LNG}&from=${FROM}&to=${TO}`;
  const res = http.get(url, { tags: { name: 'GET /t/{slug}/api/availability' } });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'has slots': (r) => r.status === 200 && r.json('slots').length > 0,
  });
}
