// The reference risk provider: a small local HTTP service in the shape of Signifyd- or Sift-like
// fraud APIs, for tests and demos of Junction's provider interface. Bearer API key; POST
// /v1/assessments (pre-authorisation) and POST /v1/assessments/:id/post-auth. Its decisions are
// deterministic from the request: an email at decline.test (or listed in declineEmails) is
// declined, an amount above reviewAbove (minor units) is sent to review, the rest is accepted.
// Post-auth answers from the order's pre-auth request: an email at postauth-decline.test is
// declined, one at postauth-review.test sent to review, an authorisation or charge accepted, any
// other status declined.
// Faults (stall, fail) come from the emulator kit, so timeouts and errors can be exercised.
import { createHmac } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createFaults, serveEmulator, type EmulatorServer, type Faults } from '../kit.ts';

export interface RiskProviderEmulatorOptions {
  apiKey: string;
  reviewAbove?: number;
  declineEmails?: string[];
  port?: number;
}

/** Sends a signed verdict update (x-risk-signature: hex HMAC-SHA256 of the body) and answers the HTTP status. */
export async function sendRiskWebhook(
  url: string,
  secret: string,
  update: { merchant_id: string; order_id: string; decision: 'ACCEPT' | 'REVIEW' | 'DECLINE'; score?: number; reasons?: string[] },
  deliver?: (headers: Record<string, string>, body: string) => Promise<number>,
): Promise<number> {
  const body = JSON.stringify({ type: 'assessment.updated', id: `asmt_upd_${Date.now()}`, ...update, reasons: update.reasons ?? [] });
  const headers = { 'content-type': 'application/json', 'x-risk-signature': createHmac('sha256', secret).update(body).digest('hex') };
  if (deliver) return deliver(headers, body);
  const response = await fetch(url, { method: 'POST', headers, body });
  await response.text();
  return response.status;
}

export interface RiskProviderEmulator extends EmulatorServer {
  faults: Faults;
  /** Every assessment request received, in order (for assertions). */
  received: Array<Record<string, unknown>>;
  /** Every post-auth request received: the assessment (order) id and the body. */
  receivedPostAuth: Array<{ id: string; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const value: unknown = text ? JSON.parse(text) : {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('body must be a JSON object');
  return value as Record<string, unknown>;
}

function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

export async function startRiskProviderEmulator(options: RiskProviderEmulatorOptions): Promise<RiskProviderEmulator> {
  const faults = createFaults();
  const received: Array<Record<string, unknown>> = [];
  const receivedPostAuth: Array<{ id: string; body: Record<string, unknown> }> = [];
  const emailByOrder = new Map<string, string>();
  const reviewAbove = options.reviewAbove ?? 500_000;
  const declineEmails = new Set((options.declineEmails ?? []).map((e) => e.toLowerCase()));
  let seq = 0;
  const server = await serveEmulator(
    async (req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      const failure = faults.takeFailure(path);
      if (failure) return send(res, failure, { error: { code: 'emulated_failure' } });
      if (req.headers.authorization !== `Bearer ${options.apiKey}`) return send(res, 401, { error: { code: 'unauthorized', message: 'bad API key' } });
      if (req.method !== 'POST') return send(res, 405, { error: { code: 'method_not_allowed' } });
      let body: Record<string, unknown>;
      try {
        body = await readJson(req);
      } catch (error) {
        return send(res, 400, { error: { code: 'invalid_json', message: error instanceof Error ? error.message : 'bad body' } });
      }
      await faults.stall(path);
      if (path === '/v1/assessments') {
        received.push(body);
        const email = typeof body.email === 'string' ? body.email.toLowerCase() : '';
        if (typeof body.order_id === 'string') emailByOrder.set(body.order_id, email);
        const amount = typeof body.amount === 'number' ? body.amount : 0;
        const id = `asmt_${++seq}`;
        if (email.endsWith('@decline.test') || declineEmails.has(email)) return send(res, 200, { id, decision: 'DECLINE', score: 95, reasons: ['email associated with confirmed fraud'] });
        if (amount > reviewAbove) return send(res, 200, { id, decision: 'REVIEW', score: 60, reasons: [`amount above ${reviewAbove}`] });
        return send(res, 200, { id, decision: 'ACCEPT', score: 5, reasons: [] });
      }
      const post = /^\/v1\/assessments\/([^/]+)\/post-auth$/.exec(path);
      if (post) {
        const id = decodeURIComponent(post[1]);
        receivedPostAuth.push({ id, body });
        const email = emailByOrder.get(id) ?? '';
        if (email.endsWith('@postauth-decline.test')) return send(res, 200, { id, decision: 'DECLINE', score: 90, reasons: ['authorisation pattern matches confirmed fraud'] });
        if (email.endsWith('@postauth-review.test')) return send(res, 200, { id, decision: 'REVIEW', score: 55, reasons: ['authorisation needs a manual look'] });
        const ok = body.status === 'AUTHORIZED' || body.status === 'CHARGED';
        return send(res, 200, { id, decision: ok ? 'ACCEPT' : 'DECLINE', score: ok ? 10 : 90, reasons: ok ? [] : [`payment is ${String(body.status)}`] });
      }
      return send(res, 404, { error: { code: 'not_found' } });
    },
    options.port !== undefined ? { port: options.port } : {},
  );
  return { ...server, faults, received, receivedPostAuth, close: () => server.down() };
}
