// The simulated gateways' API, served in this process on the connector kit's transport at
// `in-process://simulator`. The simulator connector speaks to it the way every real connector
// speaks to its provider: a request (JSON), a deadline, an answer with a status code, metrics and
// a log line per call; only the bytes never leave the process.
//
//   POST /merchants/{m}/payments                     {gateway, account_id, request}  -> 200 payment
//   POST /merchants/{m}/payments/{id}/authentication                                 -> 200 payment | 404
//   GET  /merchants/{m}/payments/{id}?gateway=G      (our txn id also finds it)      -> 200 payment | 404
//   POST /merchants/{m}/payments/{id}/capture        {amount}                        -> 200 operation
//   POST /merchants/{m}/payments/{id}/void                                           -> 200 operation
//   POST /merchants/{m}/payments/{id}/refunds        {amount, refund_reference, idempotency_key} -> 200 refund
//
// Every call is scoped to the merchant in its path: one merchant never reaches another's
// payments. A simulated timeout is what a real one is: the gateway acted, and its answer never
// comes (a TransportError TIMEOUT after the simulated latency).
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { TransportError, type InProcessHandler, type InProcessRequest, type TransportResponse } from '../kit/transport.ts';
import type { SimulatorFleet } from './simulator-fleet.ts';
import type { SimulatorReply } from './transformers.ts';

export const SIMULATOR_WIRE_HOST = 'simulator';
export const SIMULATOR_WIRE_ORIGIN = `in-process://${SIMULATOR_WIRE_HOST}`;

export interface SimulatorAuthorizeBody {
  gateway: string;
  account_id: string;
  request: AuthorizeRequest;
}

export interface SimulatorCaptureBody {
  amount: number;
}

export interface SimulatorRefundBody {
  amount: number;
  refund_reference: string;
  idempotency_key: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function json(status: number, body: unknown): TransportResponse {
  return { status, headers: { 'content-type': 'application/json' }, text: JSON.stringify(body) };
}

const NOT_FOUND = json(404, { code: '25', message: 'No such payment' });

/** The simulated network: the gateway's latency, then its answer or none at all. */
async function delivered<T>(reply: SimulatorReply<T>): Promise<TransportResponse> {
  if (reply.latencyMs > 0) await sleep(reply.latencyMs);
  if (reply.timedOut) throw new TransportError('No answer from the simulated gateway before its deadline', 'TIMEOUT', SIMULATOR_WIRE_HOST);
  return json(200, reply.body);
}

function bodyOf<T>(request: InProcessRequest): T {
  return JSON.parse(request.body ?? '{}') as T;
}

const handlers = new WeakMap<SimulatorFleet, InProcessHandler>();

/** The fleet's API as an in-process gateway (one handler per fleet, so mounting it twice is harmless). */
export function simulatorWire(fleet: SimulatorFleet): InProcessHandler {
  const known = handlers.get(fleet);
  if (known) return known;
  const handler: InProcessHandler = async (request) => {
    const url = new URL(request.path, SIMULATOR_WIRE_ORIGIN);
    const match = /^\/merchants\/([^/]+)\/payments(?:\/([^/]+)(?:\/(authentication|capture|void|refunds))?)?$/.exec(url.pathname);
    if (!match) return json(404, { code: 'NOT_FOUND', message: `No route ${request.method} ${url.pathname}` });
    const merchantId = decodeURIComponent(match[1]!);
    const id = match[2] === undefined ? undefined : decodeURIComponent(match[2]);
    const action = match[3];
    if (request.method === 'POST' && id === undefined) {
      const body = bodyOf<SimulatorAuthorizeBody>(request);
      return delivered(await fleet.authorize(merchantId, body.gateway, body.account_id, body.request));
    }
    if (id === undefined) return json(405, { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' });
    if (request.method === 'GET' && action === undefined) {
      const reply = await fleet.sync(merchantId, id, url.searchParams.get('gateway') ?? '');
      return reply ? delivered(reply) : NOT_FOUND;
    }
    if (request.method !== 'POST') return json(405, { code: 'METHOD_NOT_ALLOWED', message: 'Method not allowed' });
    switch (action) {
      case 'authentication': {
        const reply = await fleet.completeAuthentication(merchantId, id);
        return reply ? delivered(reply) : NOT_FOUND;
      }
      case 'capture':
        return json(200, await fleet.capture(merchantId, id, bodyOf<SimulatorCaptureBody>(request).amount));
      case 'void':
        return json(200, await fleet.void(merchantId, id));
      case 'refunds': {
        const body = bodyOf<SimulatorRefundBody>(request);
        return json(200, await fleet.refund(merchantId, id, { amount: body.amount, refundReference: body.refund_reference, idempotencyKey: body.idempotency_key }));
      }
      default:
        return json(404, { code: 'NOT_FOUND', message: `No route ${request.method} ${url.pathname}` });
    }
  };
  handlers.set(fleet, handler);
  return handler;
}
