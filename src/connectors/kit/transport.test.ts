// The shared HTTP transport against a local server: idempotency header, retries only when safe,
// deadlines, refused connections, metrics, and log lines that hold no header, body or query.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, test } from 'node:test';
import { createHttpTransport, TransportError, type TransportCallEvent } from './transport.ts';

let server: Server;
let url = '';
let received: Array<{ method: string; path: string; headers: IncomingMessage['headers']; body: string }> = [];
let script: Array<{ status: number; delayMs?: number; headers?: Record<string, string> }> = [];

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, body });
      const step = script.shift() ?? { status: 200 };
      setTimeout(() => res.writeHead(step.status, { 'content-type': 'application/json', ...(step.headers ?? {}) }).end(JSON.stringify({ n: received.length })), step.delayMs ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
  script = [];
});

describe('http transport', () => {
  test('sends the idempotency key in the provider header, and answers status, headers and body', async () => {
    const transport = createHttpTransport();
    const response = await transport.request({
      gateway: 'G',
      operation: 'authorize',
      method: 'POST',
      url: `${url}/pay`,
      body: 'a=1',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      idempotencyKey: 'key-1',
      idempotencyHeader: 'Idempotency-Key',
    });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(response.text), { n: 1 });
    assert.equal(received[0]!.headers['idempotency-key'], 'key-1');
    assert.equal(received[0]!.body, 'a=1');
    await transport.close();
  });

  test('a retryable answer is retried with the same key when the request carries one', async () => {
    const transport = createHttpTransport({ backoffMs: 1 });
    script = [{ status: 503 }, { status: 503 }, { status: 200 }];
    const response = await transport.request({
      gateway: 'G',
      operation: 'authorize',
      method: 'POST',
      url: `${url}/pay`,
      idempotencyKey: 'key-2',
      idempotencyHeader: 'Idempotency-Key',
      retryOn: (r) => r.status >= 500,
    });
    assert.equal(response.status, 200);
    assert.equal(received.length, 3);
    assert.ok(received.every((r) => r.headers['idempotency-key'] === 'key-2'));
    assert.equal(transport.metrics().G!.retries, 2);
    await transport.close();
  });

  test('a POST without an idempotency key is never retried, whatever the answer', async () => {
    const transport = createHttpTransport({ backoffMs: 1 });
    script = [{ status: 503 }, { status: 200 }];
    const response = await transport.request({ gateway: 'G', operation: 'authorize', method: 'POST', url: `${url}/pay`, retryOn: () => true });
    assert.equal(response.status, 503);
    assert.equal(received.length, 1);
    await transport.close();
  });

  test('no answer before the deadline is a TIMEOUT (the request may have been processed)', async () => {
    const transport = createHttpTransport({ backoffMs: 1 });
    script = [{ status: 200, delayMs: 400 }];
    await assert.rejects(
      transport.request({ gateway: 'G', operation: 'authorize', method: 'POST', url: `${url}/slow`, deadlineMs: 100, idempotencyKey: 'k', idempotencyHeader: 'Idempotency-Key', retryOn: () => true }),
      (error: unknown) => error instanceof TransportError && error.kind === 'TIMEOUT' && !error.nothingSent,
    );
    assert.equal(transport.metrics().G!.timeouts, 1);
    await transport.close();
  });

  test('a refused connection is CONNECTION_REFUSED: nothing was sent', async () => {
    const transport = createHttpTransport({ backoffMs: 1, maxRetries: 1 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await assert.rejects(
      transport.request({ gateway: 'G', operation: 'authorize', method: 'POST', url: `http://127.0.0.1:${port}/x`, deadlineMs: 2_000 }),
      (error: unknown) => error instanceof TransportError && error.kind === 'CONNECTION_REFUSED' && error.nothingSent,
    );
    assert.equal(transport.metrics().G!.calls, 2, 'refused is retried even without a key: nothing reached the provider');
    await transport.close();
  });

  test('log lines carry gateway, operation, endpoint without query, status and latency: never a header or body', async () => {
    const events: TransportCallEvent[] = [];
    const transport = createHttpTransport({ log: (event) => events.push(event) });
    await transport.request({ gateway: 'G', operation: 'sync', method: 'GET', url: `${url}/v1/x?query=secret_ref`, headers: { authorization: 'Bearer sk_test_secret' } });
    await transport.request({ gateway: 'G', operation: 'authorize', method: 'POST', url: `${url}/v1/pay`, body: 'card[number]=4242424242424242', headers: { authorization: 'Bearer sk_test_secret' } });
    assert.equal(events.length, 2);
    assert.equal(events[0]!.endpoint, `${url}/v1/x`);
    assert.equal(events[0]!.status, 200);
    const text = JSON.stringify(events);
    assert.doesNotMatch(text, /sk_test_secret|4242424242424242|secret_ref/);
    const metrics = transport.metrics().G!;
    assert.equal(metrics.calls, 2);
    assert.equal(
      Object.values(metrics.latencyBuckets).reduce((a, b) => a + b, 0),
      2,
    );
    await transport.close();
  });

  test('connections are reused (keep-alive) across calls to one origin', async () => {
    const transport = createHttpTransport();
    const sockets = new Set<unknown>();
    const onConnection = (socket: unknown) => sockets.add(socket);
    server.on('connection', onConnection);
    for (let i = 0; i < 10; i++) await transport.request({ gateway: 'G', operation: 'sync', method: 'GET', url: `${url}/ping` });
    server.off('connection', onConnection);
    // undici replaces the first socket once after the server's keep-alive hint; every later call reuses one.
    assert.ok(sockets.size <= 2, `10 calls opened ${sockets.size} connections`);
    await transport.close();
  });
});

describe('a gateway mounted in process (the simulated gateways)', () => {
  test('its calls take the same path: headers with the idempotency key, the answer, metrics and a log line per call', async () => {
    const events: TransportCallEvent[] = [];
    const transport = createHttpTransport({ log: (event) => events.push(event) });
    const seen: Array<{ method: string; path: string; headers: Record<string, string>; body: string | null }> = [];
    transport.mountInProcess('sim', async (request) => {
      seen.push(request);
      return { status: 201, headers: { 'content-type': 'application/json' }, text: '{"ok":true}' };
    });
    const response = await transport.request({
      gateway: 'SIM_ALPHA',
      operation: 'authorize',
      method: 'POST',
      url: 'in-process://sim/merchants/m1/payments?x=1',
      headers: { 'Content-Type': 'application/json' },
      body: '{"a":1}',
      idempotencyKey: 'k1',
      idempotencyHeader: 'Idempotency-Key',
    });
    assert.equal(response.status, 201);
    assert.equal(response.text, '{"ok":true}');
    assert.deepEqual(seen, [{ method: 'POST', path: '/merchants/m1/payments?x=1', headers: { 'content-type': 'application/json', 'idempotency-key': 'k1' }, body: '{"a":1}' }]);
    assert.equal(transport.metrics().SIM_ALPHA!.calls, 1);
    assert.equal(events.length, 1);
    assert.equal(events[0]!.endpoint, 'in-process://sim/merchants/m1/payments', 'no query string in the log');
    await transport.close();
  });

  test('no answer before the deadline is TIMEOUT; a thrown TransportError keeps its kind; nothing mounted is CONNECTION_REFUSED', async () => {
    const transport = createHttpTransport({ deadlineMs: 30 });
    transport.mountInProcess('slow', () => new Promise((resolve) => setTimeout(() => resolve({ status: 200, headers: {}, text: '' }), 1_000)));
    transport.mountInProcess('lost', async () => {
      throw new TransportError('no answer', 'TIMEOUT', 'sim');
    });
    transport.mountInProcess('broken', async () => {
      throw new Error('bug');
    });
    const call = (host: string) => transport.request({ gateway: 'SIM_BETA', operation: 'authorize', method: 'POST', url: `in-process://${host}/x`, body: '{}' });
    await assert.rejects(call('slow'), (error: unknown) => error instanceof TransportError && error.kind === 'TIMEOUT');
    await assert.rejects(call('lost'), (error: unknown) => error instanceof TransportError && error.kind === 'TIMEOUT');
    await assert.rejects(call('broken'), (error: unknown) => error instanceof TransportError && error.kind === 'NETWORK' && !error.nothingSent);
    await assert.rejects(call('nobody'), (error: unknown) => error instanceof TransportError && error.kind === 'CONNECTION_REFUSED');
    const metrics = transport.metrics().SIM_BETA!;
    assert.equal(metrics.timeouts, 2);
    assert.ok(metrics.errors >= 4);
    await transport.close();
  });

  test('a host takes one handler: mounting the same one again is harmless, another one is refused', () => {
    const transport = createHttpTransport();
    const handler = async () => ({ status: 200, headers: {}, text: '' });
    transport.mountInProcess('sim', handler);
    transport.mountInProcess('sim', handler);
    assert.throws(() => transport.mountInProcess('sim', async () => ({ status: 200, headers: {}, text: '' })), /already mounted/);
  });
});
