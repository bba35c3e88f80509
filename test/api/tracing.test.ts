// Traces over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT is set: a payment through the API
// arrives at an in-process OTLP receiver as one trace, the HTTP span at its root and the routing
// decision, the connector call and database queries below it; no card data in any attribute.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { startTestApp, VISA_OK, type TestApp } from '../helpers/test-app.ts';
import { createOrderOk, payByCard, setAllGateways } from '../helpers/api-helpers.ts';

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: number | string; boolValue?: boolean; doubleValue?: number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
}

function attributesOf(span: { attributes?: OtlpAttribute[] }): Record<string, unknown> {
  return Object.fromEntries((span.attributes ?? []).map((a) => [a.key, a.value.stringValue ?? a.value.intValue ?? a.value.boolValue ?? a.value.doubleValue]));
}

describe('OpenTelemetry traces of a payment', () => {
  let receiver: Server;
  let j: TestApp;
  const bodies: string[] = [];
  const paths: string[] = [];
  const contentTypes: string[] = [];

  before(async () => {
    receiver = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        paths.push(request.url ?? '');
        contentTypes.push(String(request.headers['content-type']));
        bodies.push(Buffer.concat(chunks).toString('utf8'));
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const address = receiver.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    j = await startTestApp({ observability: { ...loadConfig({}).observability!, otlpEndpoint: `http://127.0.0.1:${port}`, serviceName: 'junction-test' } });
    setAllGateways(j);
  });
  after(async () => {
    await j.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  test('HTTP, routing, connector and database spans arrive linked in one trace', async () => {
    const orderId = await createOrderOk(j);
    const paid = await payByCard(j, orderId);
    assert.equal(paid.json.status, 'CHARGED', paid.body);
    await j.tracing.forceFlush();

    assert.ok(paths.length > 0, 'nothing reached the OTLP receiver');
    assert.ok(
      paths.every((p) => p === '/v1/traces'),
      paths.join(','),
    );
    assert.ok(
      contentTypes.every((c) => c.startsWith('application/json')),
      contentTypes.join(','),
    );
    const spans: OtlpSpan[] = [];
    for (const body of bodies) {
      const parsed = JSON.parse(body) as { resourceSpans: Array<{ resource: { attributes: OtlpAttribute[] }; scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
      for (const rs of parsed.resourceSpans) {
        assert.equal(attributesOf(rs.resource)['service.name'], 'junction-test');
        for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
    }

    const root = spans.find((s) => s.name === 'POST /txns');
    assert.ok(root, `no POST /txns span among ${spans.map((s) => s.name).join(', ')}`);
    assert.ok(!root.parentSpanId, 'the HTTP span is a root');
    assert.equal(root.kind, 2, 'SERVER');
    const rootAttributes = attributesOf(root);
    assert.equal(rootAttributes['http.route'], '/txns');
    assert.equal(rootAttributes['http.request.method'], 'POST');
    assert.equal(Number(rootAttributes['http.response.status_code']), 200);

    const inTrace = spans.filter((s) => s.traceId === root.traceId);
    const byId = new Map(inTrace.map((s) => [s.spanId, s]));
    const descendsFromRoot = (span: OtlpSpan): boolean => {
      let current: OtlpSpan | undefined = span;
      for (let depth = 0; current && depth < 20; depth++) {
        if (current.spanId === root.spanId) return true;
        current = current.parentSpanId ? byId.get(current.parentSpanId) : undefined;
      }
      return false;
    };

    const routing = inTrace.find((s) => s.name === 'routing.decide');
    assert.ok(routing, 'a routing span in the trace');
    assert.equal(routing.parentSpanId, root.spanId, 'routing runs directly under the request');
    const routingAttributes = attributesOf(routing);
    assert.equal(routingAttributes['junction.payment_method_type'], 'CARD');
    assert.equal(typeof routingAttributes['junction.routing.logic_kind'], 'string');
    assert.ok(String(routingAttributes['junction.routing.gateway']).length > 0);

    const connector = inTrace.find((s) => s.name === 'connector.authorize');
    assert.ok(connector, 'a connector span in the trace');
    assert.equal(connector.parentSpanId, root.spanId);
    assert.equal(attributesOf(connector)['junction.gateway'], paid.json.gateway ?? routingAttributes['junction.routing.gateway']);

    const queries = inTrace.filter((s) => s.name.startsWith('db.'));
    assert.ok(
      queries.some((s) => s.name === 'db.transaction'),
      'the attempt is recorded in a traced transaction',
    );
    assert.ok(queries.some((s) => s.name === 'db.insert' || s.name === 'db.update'));
    assert.ok(queries.every(descendsFromRoot), 'every database span hangs under the request');
    const insideTransaction = queries.filter((s) => s.parentSpanId && byId.get(s.parentSpanId)?.name === 'db.transaction');
    assert.ok(insideTransaction.length > 0, 'queries of a transaction are its children');
    assert.equal(attributesOf(queries[0]!)['db.system.name'], 'postgresql');

    // No card data anywhere in what was exported.
    const everything = bodies.join('\n');
    assert.ok(!everything.includes(VISA_OK.card_number), 'card number exported');
    assert.ok(!everything.includes(VISA_OK.card_number.slice(6)), 'card number digits exported');
  });

  test("a W3C traceparent continues the caller's trace; an unsampled one is not exported", async () => {
    const spansIn = (from: number): OtlpSpan[] => {
      const spans: OtlpSpan[] = [];
      for (const body of bodies.slice(from)) {
        const parsed = JSON.parse(body) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: OtlpSpan[] }> }> };
        for (const rs of parsed.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
      }
      return spans;
    };
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const callerSpan = '00f067aa0ba902b7';
    await j.tracing.forceFlush();
    const from = bodies.length;
    const sampled = await createOrderOk(j);
    const paid = await payByCard(j, sampled, {}, { headers: { traceparent: `00-${traceId}-${callerSpan}-01` } });
    assert.equal(paid.json.status, 'CHARGED', paid.body);
    const unsampledTrace = 'aaaa2f3577b34da6a3ce929d0e0e4736';
    const other = await createOrderOk(j);
    await payByCard(j, other, {}, { headers: { traceparent: `00-${unsampledTrace}-${callerSpan}-00` } });
    await j.tracing.forceFlush();

    const spans = spansIn(from);
    const txn = spans.find((s) => s.name === 'POST /txns' && s.traceId === traceId);
    assert.ok(txn, `no POST /txns span in the caller's trace among ${spans.map((s) => `${s.name}@${s.traceId}`).join(', ')}`);
    assert.equal(txn.parentSpanId, callerSpan, "the request span is the caller's child");
    assert.ok(
      spans.some((s) => s.name === 'connector.authorize' && s.traceId === traceId),
      "the payment's spans follow in the caller's trace",
    );
    assert.ok(!spans.some((s) => s.traceId === unsampledTrace), 'a caller that did not sample its trace gets none exported');
  });
});
