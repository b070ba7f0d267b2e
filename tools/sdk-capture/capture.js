// Captures what the real Segment and RudderStack Node SDKs send: a capture server on a free loopback port stands in
// for their HTTP batch APIs, each SDK is pointed at it and makes the same calls (identify, track, page, screen,
// group, alias) for an identified and for an anonymous user, then flushes. Written to OUTDIR/<sdk>/:
//   batch-<n>.json                 each request body as the SDK sent it (gunzipped): {"batch":[...],"sentAt":...}
//   event-<nn>-<type>-<who>.json   each event of those batches alone; the batch's sentAt is copied onto an event that
//                                  has none (Segment puts it on the batch only), as D19 keeps it when it splits a batch
// Usage: node capture.js OUTDIR
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const zlib = require('zlib');
const { Analytics: SegmentAnalytics } = require('@segment/analytics-node');
const RudderAnalytics = require('@rudderstack/rudder-sdk-node');

// Fake write keys: they only tell the capture server which SDK a request came from.
const SEGMENT_WRITE_KEY = 'capture-segment-write-key';
const RUDDER_WRITE_KEY = 'capture-rudder-write-key';
// Both SDKs batch; six calls per user, so each user's calls make a batch of their own.
const FLUSH_AT = 6;

function startCaptureServer() {
  const requests = [];
  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      if (req.headers['content-encoding'] === 'gzip') body = zlib.gunzipSync(body); // RudderStack gzips by default
      requests.push({ method: req.method, url: req.url, authorization: req.headers.authorization || '', body: body.toString('utf8') });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{}');
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, requests, port: server.address().port })));
}

const company = { id: 'acme-1', name: 'Acme Inc', industry: 'Software', employees: 120, plan: 'enterprise' };

// The calls a real server-side integration makes; `who` is {userId} or {anonymousId}.
function calls(who, label) {
  const identified = Boolean(who.userId);
  const context = { ip: '203.0.113.7', locale: 'en-GB', userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0' };
  return [
    ['identify', {
      ...who, context,
      traits: identified
        ? { email: 'ada.lovelace@example.com', firstName: 'Ada', lastName: 'Lovelace', createdAt: '2026-11-02T09:30:00.000Z',
            company, plan: 'pro', seats: 12, occupation: 'Engineer', phone: '+44 20 7946 0000' }
        : { plan: 'trial', referrer: 'newsletter' },
    }],
    ['track', {
      ...who, context, event: 'Order Completed',
      properties: { order_id: `ord-${label}-1001`, revenue: 129.99, currency: 'EUR', coupon: 'WINTER10',
        products: [{ product_id: 'sku-42', name: 'Seat licence', price: 64.995, quantity: 2 }] },
    }],
    ['page', { ...who, context, category: 'Docs', name: 'Pricing',
      properties: { path: '/pricing', url: 'https://www.example.com/pricing', title: 'Pricing - Acme', referrer: 'https://www.example.com/' } }],
    ['screen', { ...who, context, name: 'Dashboard', properties: { section: 'overview', variant: 'dark' } }],
    ['group', { ...who, context, groupId: company.id,
      traits: { name: company.name, industry: company.industry, employees: company.employees, plan: company.plan, region: 'EU',
        website: 'https://www.acme.example.com', createdAt: '2025-03-14T08:00:00.000Z' } }],
    // alias links what the user was known as before to the id now; for the anonymous visitor it is the sign-up moment
    ['alias', identified ? { userId: who.userId, previousId: 'legacy-ada-7', context } : { userId: 'user-grace-77', previousId: who.anonymousId, context }],
  ];
}

const users = [
  [{ userId: 'user-ada-42' }, 'identified'],
  [{ anonymousId: '5d2c8a0e-6f1b-4c3e-9a77-0b5e2f8d1c44' }, 'anonymous'],
];

async function captureSegment(port) {
  const analytics = new SegmentAnalytics({
    writeKey: SEGMENT_WRITE_KEY,
    host: `http://127.0.0.1:${port}`,
    path: '/v1/batch',
    flushAt: FLUSH_AT,
    maxRetries: 0, // the capture server always answers 200; a failure must not be retried into a second copy
  });
  for (const [who, label] of users) {
    for (const [type, message] of calls(who, label)) analytics[type](message);
  }
  await analytics.closeAndFlush({ timeout: 20000 });
}

async function captureRudderStack(port) {
  const client = new RudderAnalytics(RUDDER_WRITE_KEY, {
    dataPlaneUrl: `http://127.0.0.1:${port}`,
    flushAt: FLUSH_AT,
    retryCount: 0,
    logLevel: 'error',
    axiosConfig: { proxy: false }, // axios would follow HTTP_PROXY; the loopback server must be the only peer
  });
  // Each call's callback fires once its batch has been sent; wait for all of them (flush()'s own callback can fire
  // early, while batches queued by earlier flushes are still in flight).
  const sent = [];
  for (const [who, label] of users) {
    for (const [type, message] of calls(who, label)) {
      sent.push(new Promise((resolve, reject) => client[type](message, (err) => (err ? reject(err) : resolve()))));
    }
  }
  client.flush();
  await Promise.all(sent);
}

function basic(writeKey) {
  return 'Basic ' + Buffer.from(`${writeKey}:`).toString('base64');
}

// The calls in the order they were made, as [type, label]: the SDKs keep that order in their batches.
const made = users.flatMap(([who, label]) => calls(who, label).map(([type]) => [type, label]));

function write(outDir, sdk, requests) {
  const dir = path.join(outDir, sdk);
  fs.mkdirSync(dir, { recursive: true });
  let n = 0;
  requests.forEach((request, i) => {
    fs.writeFileSync(path.join(dir, `batch-${i + 1}.json`), request.body);
    const body = JSON.parse(request.body);
    for (const event of body.batch) {
      const [type, label] = made[n] || [];
      if (event.type !== type) throw new Error(`${sdk}: event ${n + 1} is a ${event.type}, the call made was ${type}`);
      const single = event.sentAt ? event : { ...event, sentAt: body.sentAt };
      fs.writeFileSync(path.join(dir, `event-${String(++n).padStart(2, '0')}-${type}-${label}.json`), JSON.stringify(single, null, 2));
    }
  });
  return n;
}

async function main() {
  const outDir = process.argv[2];
  if (!outDir) {
    console.error('usage: node capture.js OUTDIR');
    process.exit(2);
  }
  const { server, requests, port } = await startCaptureServer();
  try {
    await captureSegment(port);
    await captureRudderStack(port);
  } finally {
    server.close();
  }
  const expected = made.length;
  for (const [sdk, key] of [['segment', SEGMENT_WRITE_KEY], ['rudderstack', RUDDER_WRITE_KEY]]) {
    const mine = requests.filter((r) => r.authorization === basic(key));
    const events = write(outDir, sdk, mine);
    if (events !== expected) throw new Error(`${sdk}: captured ${events} events in ${mine.length} request(s), expected ${expected}`);
    console.log(`${sdk}: ${mine.length} batch request(s) to ${[...new Set(mine.map((r) => r.method + ' ' + r.url))].join(', ')}, ${events} events`);
  }
  const strangers = requests.filter((r) => r.authorization !== basic(SEGMENT_WRITE_KEY) && r.authorization !== basic(RUDDER_WRITE_KEY));
  if (strangers.length) throw new Error(`${strangers.length} request(s) from neither SDK: ${strangers.map((r) => r.url).join(', ')}`);
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
