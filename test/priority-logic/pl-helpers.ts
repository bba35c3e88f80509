// Shared helpers of the Priority Logic tests: fixed demo user tokens, JSON calls with a user
// token or the API key, and small builders of logic bodies.
import assert from 'node:assert/strict';
import { DEMO_USER_TOKENS, startTestApp, type TestApp } from '../helpers/test-app.ts';

export const ADMIN_TOKEN = DEMO_USER_TOKENS.admin;
export const APPROVER_TOKEN = DEMO_USER_TOKENS.approver;
export const VIEWER_TOKEN = DEMO_USER_TOKENS.viewer;
export const ADMIN_KEY = 'test-admin-key';

export async function startPlApp(): Promise<TestApp> {
  return startTestApp();
}

export interface Res {
  status: number;
  json: any;
  body: string;
  headers: Record<string, unknown>;
}

export type Who = { token: string } | { basic: string } | { none: true };

export const bearer = (token: string): Who => ({ token });

export async function api(j: TestApp, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown, who: Who = { token: ADMIN_TOKEN }, headers: Record<string, string> = {}): Promise<Res> {
  const h: Record<string, string> = { ...headers };
  if ('token' in who) h.authorization = `Bearer ${who.token}`;
  else if ('basic' in who) h.authorization = who.basic;
  let payload: string | undefined;
  if (body !== undefined) {
    h['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  const r = await j.app.inject({ method, url, headers: h, ...(payload !== undefined ? { payload } : {}) });
  let json: any = {};
  try {
    json = JSON.parse(r.body);
  } catch {
    json = {};
  }
  return { status: r.statusCode, json, body: r.body, headers: r.headers as Record<string, unknown> };
}

export async function createLogic(j: TestApp, body: Record<string, unknown>, who?: Who): Promise<any> {
  const r = await api(j, 'POST', '/v1/priority-logics', body, who);
  assert.equal(r.status, 201, r.body);
  return r.json;
}

export async function getLogic(j: TestApp, id: string): Promise<any> {
  const r = await api(j, 'GET', `/v1/priority-logics/${id}`);
  assert.equal(r.status, 200, r.body);
  return r.json;
}

/** Runs a lifecycle action with the logic's current row_version. */
export async function act(j: TestApp, id: string, action: string, extra: Record<string, unknown> = {}, who?: Who): Promise<Res> {
  const current = await getLogic(j, id);
  return api(j, 'POST', `/v1/priority-logics/${id}/${action}`, { version: current.row_version, ...extra }, who);
}

export async function actOk(j: TestApp, id: string, action: string, extra: Record<string, unknown> = {}, who?: Who): Promise<any> {
  const r = await act(j, id, action, extra, who);
  assert.equal(r.status, 200, `${action}: ${r.body}`);
  return r.json;
}

export async function createUser(j: TestApp, role: string, email = `${role.toLowerCase()}${Math.random().toString(36).slice(2, 8)}@example.com`): Promise<{ id: string; token: string }> {
  const r = await j.app.inject({
    method: 'POST',
    url: '/admin/v1/merchants/demo_merchant/users',
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ email, name: `${role} user`, role }),
  });
  assert.equal(r.statusCode, 201, r.body);
  const json = JSON.parse(r.body);
  return { id: json.user.id, token: json.token };
}

export function assertError(r: Res, status: number, code: string, message?: string, field?: string): void {
  assert.equal(r.status, status, r.body);
  assert.equal(r.json.error_info?.code, code, r.body);
  if (message !== undefined) assert.equal(r.json.error_message, message, r.body);
  assert.ok(typeof r.json.error_info.request_id === 'string' && r.json.error_info.request_id.length > 0);
  if (field !== undefined) {
    const names = (r.json.error_info.fields as { field_name: string }[]).map((f) => f.field_name);
    assert.ok(names.includes(field), `expected field ${field} in ${JSON.stringify(names)}`);
  }
}

let n = 0;
export const uniqueName = (prefix: string): string => `${prefix} ${++n} ${Math.random().toString(36).slice(2, 6)}`;

export const defaultLogic = (name: string, gateways: string[], extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'DEFAULT',
  defaultGateways: gateways.map((gateway) => ({ gateway })),
  ...extra,
});
