// Helpers of the routing-intelligence tests: settings, a stream of payments, the first gateway of each.
import assert from 'node:assert/strict';
import type { TestApp } from '../helpers/test-app.ts';
import { createOrderOk, payByCard } from '../helpers/api-helpers.ts';

export async function json(j: TestApp, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, authorization?: string): Promise<{ status: number; json: any; body: string }> {
  const r = await j.app.inject({
    method,
    url,
    headers: { authorization: authorization ?? j.basic, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
    ...(body !== undefined ? { payload: JSON.stringify(body) } : {}),
  });
  let parsed: any = {};
  try {
    parsed = JSON.parse(r.body);
  } catch {
    parsed = {};
  }
  return { status: r.statusCode, json: parsed, body: r.body };
}

export async function settings(j: TestApp, patch: Record<string, unknown>): Promise<void> {
  const r = await json(j, 'PUT', '/v1/routing/settings', patch);
  assert.equal(r.status, 200, r.body);
}

/** Resets the demo merchant's routing settings to the defaults (ranking OFF, one attempt). */
export async function resetSettings(j: TestApp): Promise<void> {
  await settings(j, {
    max_attempts: 1,
    retry_soft_declines: false,
    ranking_mode: 'OFF',
    exploration_percent: 1,
    probe_percent: 2,
    cost_tolerance_points: 0,
    health_down_below: 0.35,
    health_fluctuate_below: 0.75,
  });
}

/** One card payment; returns the gateway of its first attempt and its routing record. */
export async function pay(j: TestApp, fields: Record<string, string | number | boolean> = {}): Promise<{ first: string; status: string; routing: any }> {
  const orderId = await createOrderOk(j);
  const r = await payByCard(j, orderId, fields);
  assert.equal(r.status, 200, r.body);
  await j.scoring.idle();
  const rows = await j.db.query<{ gateway: string; routing_decision: unknown; status: string }>(
    'SELECT t.gateway, t.routing_decision, t.status FROM txns t JOIN orders o ON o.id = t.order_pk WHERE o.order_id = $1 ORDER BY t.attempt',
    [orderId],
  );
  const routing = typeof rows[0]!.routing_decision === 'string' ? JSON.parse(rows[0]!.routing_decision as string) : rows[0]!.routing_decision;
  return { first: rows[0]!.gateway, status: r.json.status, routing };
}
