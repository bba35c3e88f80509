// The simulated gateways' HTTP surface: the bank page a shopper's browser visits during 3-D
// Secure / netbanking, and the control API (profiles, outages, reset). Each merchant has its own
// simulated gateways: a merchant's API key (or dashboard session) sees and changes only its own;
// the admin key names the merchant with `?merchant_id=`, or resets every merchant at once.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
// Brings the OpenAPI fields (tags, summary) into FastifySchema's type.
import type {} from '@fastify/swagger';
import { AppError, invalidField, notFound } from '../../core/errors.ts';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../../core/payment-methods.ts';
import type { GatewaySimulator } from '../../connectors/simulator/simulator.ts';
import type { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';
import type { ProfileValidation } from '../../connectors/simulator/simulator-profile.ts';
import { renderBankPage } from './bank-page.ts';
import { NoQuery, NoBody } from '../schemas.ts';

/** Who calls the control API: the admin key, or a merchant (API key, dashboard session or user token). */
export type SimulatorCaller =
  | { kind: 'ADMIN' }
  | { kind: 'MERCHANT'; merchantId: string; /** False for dashboard roles that may only look (VIEWER, APPROVER). */ mayChange: boolean };

export interface SimulatorRoutesDeps {
  simulators: SimulatorFleet;
  /** Authenticates a control API call (not the bank page, which the shopper's browser visits). Throws 401 when nobody is recognised. */
  callerOf: (request: FastifyRequest) => Promise<SimulatorCaller>;
  /** Whether a merchant exists: the admin names merchants by id. */
  merchantExists: (merchantId: string) => Promise<boolean>;
}

const Probability = Type.Number({ minimum: 0, maximum: 1 });
const ProbabilityTable = Type.Record(Type.String(), Probability);
const PaymentMethodTypeSchema = Type.Union(PAYMENT_METHOD_TYPES.map((value) => Type.Literal(value)));
const OverridesSchema = Type.Object({
  paymentMethodType: Type.Optional(ProbabilityTable),
  paymentMethod: Type.Optional(ProbabilityTable),
  cardBrand: Type.Optional(ProbabilityTable),
  issuer: Type.Optional(ProbabilityTable),
});
const LatencySchema = Type.Object({ fixedMs: Type.Number({ minimum: 0 }), jitterMs: Type.Number({ minimum: 0 }) });
const FailureMixSchema = Type.Object({
  HARD_DECLINE: Type.Optional(Type.Number({ minimum: 0 })),
  SOFT_DECLINE: Type.Optional(Type.Number({ minimum: 0 })),
  TECHNICAL_ERROR: Type.Optional(Type.Number({ minimum: 0 })),
  TIMEOUT: Type.Optional(Type.Number({ minimum: 0 })),
});
const OutageSchema = Type.Object({
  id: Type.Optional(Type.String()),
  startMs: Type.Number({ minimum: 0 }),
  endMs: Type.Number({ minimum: 0 }),
  paymentMethodType: Type.Optional(PaymentMethodTypeSchema),
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  mode: Type.Optional(Type.Union([Type.Literal('DOWN'), Type.Literal('TIMEOUT')])),
});
const ProfileFields = {
  baseSuccessRate: Probability,
  overrides: Type.Optional(OverridesSchema),
  latency: LatencySchema,
  failureMix: FailureMixSchema,
  timeoutChargedProbability: Type.Optional(Probability),
  outages: Type.Optional(Type.Array(OutageSchema)),
  pendingProbability: Type.Optional(Probability),
  settleAfterMs: Type.Optional(Type.Number({ minimum: 0 })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
};
export const SimulatorProfileSchema = Type.Object(ProfileFields, { description: 'A simulated gateway profile' });
const ProfilePatchSchema = Type.Object({
  baseSuccessRate: Type.Optional(Probability),
  overrides: Type.Optional(OverridesSchema),
  latency: Type.Optional(Type.Partial(LatencySchema)),
  failureMix: Type.Optional(FailureMixSchema),
  timeoutChargedProbability: Type.Optional(Probability),
  outages: Type.Optional(Type.Array(OutageSchema)),
  pendingProbability: Type.Optional(Probability),
  settleAfterMs: Type.Optional(Type.Number({ minimum: 0 })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
});
const GatewayParams = Type.Object({ gateway: Type.String({ minLength: 1, maxLength: 64 }) });
// Gateway ids are letters, digits, '_' and '-': anything else cannot exist, and never reaches the database.
const TxnParams = Type.Object({ gatewayTxnId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) });
const OutageBody = Type.Object({
  durationMs: Type.Optional(Type.Integer({ minimum: 1 })),
  until: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1 })], { description: 'End: epoch ms or an ISO-8601 date' })),
  paymentMethodType: Type.Optional(PaymentMethodTypeSchema),
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  mode: Type.Optional(Type.Union([Type.Literal('DOWN'), Type.Literal('TIMEOUT')])),
});
const ScopeQuery = Type.Object({
  merchant_id: Type.Optional(Type.String({
    minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_]+$',
    description: "Whose simulated gateways: required with the admin key; with a merchant's key, absent or that merchant's own id",
  })),
});
const ADMIN_OR_MERCHANT: Array<Record<string, string[]>> = [{ adminBearer: [] }, { basicAuth: [] }, { userBearer: [] }];
const BankResultBody = Type.Object({ result: Type.Union([Type.Literal('success'), Type.Literal('failure')]) });

function profileOrThrow(result: ProfileValidation): unknown {
  if (result.ok) return result.profile;
  const [first] = result.errors;
  throw new AppError('INVALID_INPUT', `Invalid value for ${first.field_name}: ${first.reason}`, { fields: result.errors });
}

function withGatewayTxnId(returnUrl: string, gatewayTxnId: string): string {
  try {
    const url = new URL(returnUrl);
    url.searchParams.set('gateway_txn_id', gatewayTxnId);
    return url.toString();
  } catch {
    const separator = returnUrl.includes('?') ? '&' : '?';
    return `${returnUrl}${separator}gateway_txn_id=${encodeURIComponent(gatewayTxnId)}`;
  }
}

export function simulatorRoutes(deps: SimulatorRoutesDeps): FastifyPluginAsync {
  const { simulators } = deps;
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    // The bank page posts a plain HTML form; parse it here without depending on @fastify/formbody
    // being registered (encapsulated: affects only this plugin's routes).
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
    }

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
        if (query.merchant_id === undefined) throw invalidField('merchant_id', "is required with the admin key: name the merchant whose simulated gateways to use");
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

    const control = (summary: string, description: string) => ({ tags: ['simulator'], summary, description, security: ADMIN_OR_MERCHANT, querystring: ScopeQuery });
    const SCOPE = "The caller's own merchant (API key, dashboard session or user token); with the admin key, the merchant named by `merchant_id`.";

    // ---- bank page (public: the shopper's browser) ------------------------------------------

    app.get('/simulator/bank/:gatewayTxnId', {
      schema: { querystring: NoQuery, tags: ['simulator'], summary: 'The simulated bank authentication page (HTML)', security: [], params: TxnParams },
    }, async (request, reply) => {
      const view = await simulators.bankPage(request.params.gatewayTxnId);
      if (!view) throw notFound('Payment');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .send(renderBankPage(view));
    });

    app.post('/simulator/bank/:gatewayTxnId', {
      schema: { tags: ['simulator'], summary: 'Record the authentication result and return to the merchant', security: [], params: TxnParams, body: BankResultBody },
    }, async (request, reply) => {
      const recorded = await simulators.recordAuthentication(request.params.gatewayTxnId, request.body.result);
      if (!recorded) throw notFound('Payment');
      return reply.redirect(withGatewayTxnId(recorded.returnUrl, request.params.gatewayTxnId), 302);
    });

    // ---- control API (a merchant's own simulated gateways; the admin's for any merchant) -----

    app.get('/simulator/gateways', {
      ...authenticated,
      schema: control('All simulated gateway profiles of one merchant', SCOPE),
    }, async (request) => ({ gateways: (await simulatorOf(request, request.query, false)).getProfiles() }));

    app.get('/simulator/gateways/:gateway', {
      ...authenticated,
      schema: { ...control('One simulated gateway profile of one merchant', SCOPE), params: GatewayParams },
    }, async (request) => {
      const profile = (await simulatorOf(request, request.query, false)).getProfile(request.params.gateway);
      if (!profile) throw notFound('Simulated gateway');
      return profile;
    });

    app.put('/simulator/gateways/:gateway', {
      ...authenticated,
      schema: { ...control("Replace one merchant's simulated gateway profile", `${SCOPE} Other merchants' gateways are untouched.`), params: GatewayParams, body: SimulatorProfileSchema },
    }, async (request) => {
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return profileOrThrow(simulator.setProfile(request.params.gateway, request.body));
    });

    app.patch('/simulator/gateways/:gateway', {
      ...authenticated,
      schema: { ...control("Change part of one merchant's simulated gateway profile", `${SCOPE} Objects merge key by key, arrays replace.`), params: GatewayParams, body: ProfilePatchSchema },
    }, async (request) => {
      const result = (await simulatorOf(request, request.query, true)).patchProfile(request.params.gateway, request.body);
      if (!result) throw notFound('Simulated gateway');
      return profileOrThrow(result);
    });

    app.post('/simulator/gateways/:gateway/outages', {
      ...authenticated,
      schema: { ...control("Start an outage now on one merchant's simulated gateway", `${SCOPE} Only that merchant's payments see it.`), params: GatewayParams, body: OutageBody },
    }, async (request, reply) => {
      const { gateway } = request.params;
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(gateway)) throw notFound('Simulated gateway');
      const body = request.body;
      let untilMs: number | undefined;
      if (body.until !== undefined) {
        untilMs = typeof body.until === 'number' ? body.until : Date.parse(body.until);
        if (!Number.isFinite(untilMs)) throw new AppError('INVALID_INPUT', 'Invalid value for until: must be epoch ms or an ISO-8601 date', { fields: [{ field_name: 'until', reason: 'must be epoch ms or an ISO-8601 date' }] });
      }
      if (body.durationMs !== undefined && untilMs !== undefined) {
        throw new AppError('INVALID_INPUT', 'Give durationMs or until, not both', { fields: [{ field_name: 'until', reason: 'durationMs and until are exclusive' }] });
      }
      const outage = simulator.startOutage(gateway, {
        durationMs: body.durationMs,
        untilMs,
        paymentMethodType: body.paymentMethodType as PaymentMethodType | undefined,
        issuer: body.issuer,
        mode: body.mode,
      });
      return reply.code(201).send(outage);
    });

    app.delete('/simulator/gateways/:gateway/outages', {
      ...authenticated,
      schema: { ...control("End every outage of one merchant's simulated gateway", SCOPE), params: GatewayParams },
    }, async (request) => {
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return { ended: simulator.endOutage(request.params.gateway) };
    });

    app.post('/simulator/reset', {
      ...authenticated,
      schema: {
        ...control(
        "Restore one merchant's default profiles and forget its simulated payments; with the admin key and no merchant_id, every merchant's",
        "A merchant's key resets only its own simulated gateways and ledger (its refunds of payments made before the reset then fail at the simulated gateway; nobody else's do). The admin key resets the merchant named by `merchant_id`, or, without it, every merchant's simulator and the whole simulator ledger.",
        ),
        body: NoBody,
      },
    }, async (request) => {
      const caller = callers.get(request);
      if (caller?.kind === 'ADMIN' && request.query.merchant_id === undefined) {
        await simulators.resetAll();
        return { reset: true, scope: 'ALL_MERCHANTS' };
      }
      const merchantId = await scopeOf(request, request.query, true);
      await simulators.resetMerchant(merchantId);
      return { reset: true, scope: 'MERCHANT', merchant_id: merchantId };
    });
  };
}
