import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import fc from 'fast-check';
import { boundedLabel, createMetrics } from './metrics.ts';
import type { RoutingDecisionRecord } from '../routing/decision-record.ts';
import { decisionLabels, redactedSql } from './instrument.ts';
import { parseOtlpHeaders, parseTraceparent, tracesUrl } from './tracing.ts';

test('label values: a bounded vocabulary or OTHER, never free text', () => {
  assert.equal(boundedLabel('CARD'), 'CARD');
  assert.equal(boundedLabel('/orders/:order_id'), '/orders/:order_id');
  assert.equal(boundedLabel(null), 'NONE');
  assert.equal(boundedLabel('card declined by issuer'), 'OTHER');
  assert.equal(boundedLabel('x'.repeat(81)), 'OTHER');
});

test('SQL text in spans: literals and long digit runs blanked', () => {
  assert.equal(redactedSql("SELECT * FROM cards WHERE number = '4111111111111111' AND id = $1"), "SELECT * FROM cards WHERE number = '?' AND id = $1");
  assert.equal(redactedSql('UPDATE t SET n = 4111111111111111'), 'UPDATE t SET n = ?');
});

test('decision labels from the decision record', () => {
  const record = (kind: RoutingDecisionRecord['logic']['kind'], evaluationStatus: RoutingDecisionRecord['evaluationStatus']): RoutingDecisionRecord => ({
    logic: { name: 'L', kind, role: 'PRIMARY' },
    primary: { name: 'L', status: 'SUCCESS', failure_reason: 'NO_ERROR' },
    evaluationStatus,
    producedList: [],
    enforced: false,
    eligibilityDrops: [],
    finalGateways: [],
    decidedGateway: null,
    accountIds: [],
  });
  assert.deepEqual(decisionLabels({ gateways: [], enforced: false, record: record('DEFAULT', 'DEFAULT_ORDER') }), { logicKind: 'DEFAULT', outcome: 'DEFAULT_ORDER', routed: false });
  assert.deepEqual(decisionLabels({ gateways: [{ accountId: 'a', gateway: 'G', gatewayId: 1, gatewayReferenceId: null }], enforced: false, record: record('RULES', 'RULE_MATCHED') }), {
    logicKind: 'RULES',
    outcome: 'RULE_MATCHED',
    routed: true,
  });
});

test('OTLP settings: the traces URL under the base endpoint, headers parsed', () => {
  assert.equal(tracesUrl({ endpoint: 'http://collector:4318/' }), 'http://collector:4318/v1/traces');
  assert.equal(tracesUrl({ endpoint: 'http://a', tracesEndpoint: 'http://b/traces' }), 'http://b/traces');
  assert.deepEqual(parseOtlpHeaders('api-key=abc,x-tenant = t1,bad'), { 'api-key': 'abc', 'x-tenant': 't1' });
});

test('a payment outcome with an unexpected error code is counted under OTHER', async () => {
  const metrics = createMetrics({ processMetrics: false });
  metrics.paymentOutcome({ merchantId: 'm', gateway: 'SIM_ALPHA', paymentMethodType: 'CARD', status: 'AUTHORIZATION_FAILED', unifiedError: 'free text from a gateway' });
  const text = await metrics.render();
  assert.match(text, /^junction_payments_total\{gateway="SIM_ALPHA",method="CARD",status="AUTHORIZATION_FAILED",unified_error="OTHER"\} 1$/m);
  assert.doesNotMatch(text, /merchant_id/);
});

test('sampling: ratio 0 exports nothing and makes no child spans; ratio 1 exports parent and child', async () => {
  const { createServer } = await import('node:http');
  const { createTracing } = await import('./tracing.ts');
  const bodies: string[] = [];
  const sink = createServer((request, response) => {
    let body = '';
    request.on('data', (c: Buffer) => (body += c.toString()));
    request.on('end', () => {
      bodies.push(body);
      response.writeHead(200).end('{}');
    });
  });
  await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(sink.address() as { port: number }).port}`;
  try {
    const none = createTracing({ endpoint, sampleRatio: 0 });
    let childActive: boolean | null = null;
    await none.inSpan(
      'root',
      {},
      async () => {
        childActive = none.active();
        await none.inSpan('child', {}, async (span) => assert.equal(span, null));
      },
      { root: true },
    );
    assert.equal(childActive, false, 'database spans are skipped under an unsampled request');
    await none.shutdown();
    assert.equal(bodies.length, 0);

    const all = createTracing({ endpoint, sampleRatio: 1 });
    await all.inSpan('root', { 'junction.test': 'yes' }, () => all.inSpan('child', {}, async () => undefined), { root: true });
    await all.shutdown();
    const names = bodies.flatMap((b) =>
      (JSON.parse(b) as { resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ name: string }> }> }> }).resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans.map((x) => x.name))),
    );
    assert.deepEqual(names.sort(), ['child', 'root']);
  } finally {
    sink.close();
  }
});

test('docs/operations.md lists every metric with its type', async () => {
  const { readFileSync } = await import('node:fs');
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const text = await createMetrics({ processMetrics: true }).render();
  const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
  assert.ok(types.length > 20);
  for (const [name, type] of types) {
    if (/^junction_(process|nodejs)_/.test(name)) {
      assert.ok(doc.includes(`\`${name}\` (${type})`), `${name} (${type}) is not in docs/operations.md`);
      continue;
    }
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${name}\` |`));
    assert.ok(row, `${name} has no row in docs/operations.md`);
    assert.ok(row.includes(`| ${type} |`), `${name} is a ${type}: ${row}`);
  }
});

test('the alert set in docs/operations.md is a valid rule file with the alerts the issue names, on metrics that exist', async () => {
  const { readFileSync } = await import('node:fs');
  const { parse } = await import('yaml');
  const doc = readFileSync(new URL('../../docs/operations.md', import.meta.url), 'utf8');
  const section = doc.slice(doc.indexOf('## Alerts'), doc.indexOf('## Traces'));
  const block = /```yaml\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'a yaml block under Alerts');
  const rules = (parse(block) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }).groups.flatMap((g) => g.rules);
  for (const name of ['JunctionGatewayDown', 'JunctionGatewaySuccessRateDrop', 'JunctionWebhookDeliveryLag', 'JunctionWebhookOutboxStuck', 'JunctionStatusSyncBacklog']) {
    assert.ok(
      rules.some((r) => r.alert === name),
      `${name} missing`,
    );
  }
  const text = await createMetrics({ processMetrics: false }).render();
  const known = new Set([...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].flatMap((m) => (m[2] === 'histogram' ? [`${m[1]}_bucket`, `${m[1]}_count`, `${m[1]}_sum`] : [m[1]!])));
  for (const rule of rules) {
    for (const used of rule.expr.match(/\bjunction_[a-z_]+/g) ?? []) assert.ok(known.has(used), `${rule.alert} uses ${used}, which is not a metric`);
  }
});

describe('W3C traceparent', () => {
  const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
  const SPAN = '00f067aa0ba902b7';
  it('reads a valid header, sampled or not', () => {
    assert.deepEqual(parseTraceparent(`00-${TRACE}-${SPAN}-01`), { traceId: TRACE, spanId: SPAN, traceFlags: 1, isRemote: true });
    assert.equal(parseTraceparent(`00-${TRACE}-${SPAN}-00`)?.traceFlags, 0);
    // A later version may carry more fields; it is read as version 00.
    assert.equal(parseTraceparent(`01-${TRACE}-${SPAN}-01-extra`)?.traceId, TRACE);
  });
  it('refuses what the spec says to ignore', () => {
    for (const bad of [
      undefined,
      '',
      'garbage',
      `ff-${TRACE}-${SPAN}-01`,
      `00-${'0'.repeat(32)}-${SPAN}-01`,
      `00-${TRACE}-${'0'.repeat(16)}-01`,
      `00-${TRACE}-${SPAN}-01-extra`,
      `00-${TRACE.toUpperCase()}-${SPAN}-01`,
      `00-${TRACE.slice(1)}-${SPAN}-01`,
      `00-${TRACE}-${SPAN}`,
    ])
      assert.equal(parseTraceparent(bad), null, String(bad));
  });
  it('never throws, whatever the header (property)', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(fc.string())), (value) => {
        const parsed = parseTraceparent(value);
        if (parsed !== null) {
          assert.match(parsed.traceId, /^[0-9a-f]{32}$/);
          assert.match(parsed.spanId, /^[0-9a-f]{16}$/);
        }
      }),
    );
  });
});
