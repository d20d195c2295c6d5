// k6 version of the `catalog-read` bench scenario (load-tests/scenarios/catalog-read.ts): an
// anonymous customer loads the public catalog of a store.
//
//   k6 run -e BASE_URL=https://api.example.com -e SLUG=bench-catalog load-tests/k6/catalog-read.js
//
// `saturation` measures throughput with 100 concurrent users; `latency` then offers a fixed 500
// requests/s and its thresholds mirror the bench targets (p99 <= 15 ms, no errors). The ratio to
// the bare baseline and the API's peak memory are measured by `npm run bench` only.
// `options` stays a plain literal: test/load-scenarios.test.ts reads it and compares it with the
// runner's targets.
import http from 'k6/http';
import { check } from 'k6';

const BASE_URL = __ENV.BASE_URL || 'http://127.0.0.1:3000';
const SLUG = __ENV.SLUG || 'bench-catalog';

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
      rate: 500,
      timeUnit: '1s',
      duration: '10s',
      preAllocatedVUs: 50,
      maxVUs: 200,
      startTime: '12s',
      tags: { phase: 'latency' },
    },
  },
  thresholds: {
    'http_req_duration{phase:latency}': ['p(99)<=15'],
    http_req_failed: ['rate==0'],
    checks: ['rate==1'],
  },
};

export default function () {
  const res = http.get(`${BASE_URL}/t/${SLUG}/api/catalog`, { tags: { name: 'GET /t/{slug}/api/catalog' } });
  check(res, {
    'status is 200': (r) => r.status === 200,
    'has categories': (r) => r.status === 200 && r.json('categories').length > 0,
  });
}
