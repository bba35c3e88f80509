// Who may read or change which merchant's simulated gateways: the caller is authenticated before
// the body is even parsed, then each control call is scoped to one merchant (or refused).
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AppError, invalidField, notFound } from '../../core/errors.ts';
import type { GatewaySimulator } from '../../connectors/simulator/simulator.ts';
import type { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';

/** The Fastify instance (TypeBox type provider) the simulator's route groups register on. */
export type SimulatorApp = Parameters<FastifyPluginAsyncTypebox>[0];

/** Who calls the control API: the admin key, or a merchant (API key, dashboard session or user token). */
export type SimulatorCaller = { kind: 'ADMIN' } | { kind: 'MERCHANT'; merchantId: string /** False for dashboard roles that may only look (VIEWER, APPROVER). */; mayChange: boolean };

export interface CallerScope {
  /** Route options that authenticate the caller on request (spread into a control route's options). */
  authenticated: { onRequest: (request: FastifyRequest) => Promise<void> };
  /** The caller of a request, once authenticated. */
  callerOf(request: FastifyRequest): SimulatorCaller | undefined;
  /** The merchant whose simulator a call reads or changes; refuses anything else. */
  scopeOf(request: FastifyRequest, query: { merchant_id?: string }, change: boolean): Promise<string>;
  simulatorOf(request: FastifyRequest, query: { merchant_id?: string }, change: boolean): Promise<GatewaySimulator>;
}

export function createCallerScope(deps: {
  simulators: SimulatorFleet;
  callerOf: (request: FastifyRequest) => Promise<SimulatorCaller>;
  merchantExists: (merchantId: string) => Promise<boolean>;
}): CallerScope {
  const { simulators } = deps;
  // The caller is authenticated before the body is even parsed: an unauthenticated caller
  // learns nothing from validation errors.
  const callers = new WeakMap<FastifyRequest, SimulatorCaller>();
  const authenticated = {
    onRequest: async (request: FastifyRequest) => {
      callers.set(request, await deps.callerOf(request));
    },
  };

  /** The merchant whose simulator a call reads or changes; refuses anything else. */
  async function scopeOf(request: FastifyRequest, query: { merchant_id?: string }, change: boolean): Promise<string> {
    const caller = callers.get(request);
    if (!caller) throw new Error('simulator control route reached without an authenticated caller');
    if (caller.kind === 'ADMIN') {
      if (query.merchant_id === undefined) throw invalidField('merchant_id', 'is required with the admin key: name the merchant whose simulated gateways to use');
      if (!(await deps.merchantExists(query.merchant_id))) throw notFound('Merchant');
      return query.merchant_id;
    }
    if (query.merchant_id !== undefined && query.merchant_id !== caller.merchantId) {
      throw new AppError('UNAUTHORIZED', "A merchant's key reaches only its own simulated gateways", { fields: [{ field_name: 'merchant_id', reason: 'is not the merchant of this key' }] });
    }
    if (change && !caller.mayChange) throw new AppError('UNAUTHORIZED', 'Your role may look at the simulated gateways but not change them');
    return caller.merchantId;
  }

  async function simulatorOf(request: FastifyRequest, query: { merchant_id?: string }, change: boolean): Promise<GatewaySimulator> {
    return simulators.forMerchant(await scopeOf(request, query, change));
  }

  return { authenticated, callerOf: (request) => callers.get(request), scopeOf, simulatorOf };
}
