// The simulated gateways' HTTP surface: the bank page a shopper's browser visits during 3-D
// Secure / netbanking, and the operator's control API (profiles, outages, reset).
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
// Brings the OpenAPI fields (tags, summary) into FastifySchema's type.
import type {} from '@fastify/swagger';
import { AppError, notFound } from '../../core/errors.ts';
import { PAYMENT_METHOD_TYPES, type PaymentMethodType } from '../../core/payment-methods.ts';
import type { GatewaySimulator } from '../../connectors/simulator/simulator.ts';
import type { ProfileValidation } from '../../connectors/simulator/simulator-profile.ts';
import { renderBankPage } from './bank-page.ts';

export interface SimulatorRoutesDeps {
  simulator: GatewaySimulator;
  /** Guards the control API (not the bank page, which the shopper's browser visits). Throw to refuse. */
  requireOperator?: (request: FastifyRequest) => Promise<void> | void;
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
const TxnParams = Type.Object({ gatewayTxnId: Type.String({ minLength: 1, maxLength: 128 }) });
const OutageBody = Type.Object({
  durationMs: Type.Optional(Type.Integer({ minimum: 1 })),
  until: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1 })], { description: 'End: epoch ms or an ISO-8601 date' })),
  paymentMethodType: Type.Optional(PaymentMethodTypeSchema),
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  mode: Type.Optional(Type.Union([Type.Literal('DOWN'), Type.Literal('TIMEOUT')])),
});
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
  const { simulator } = deps;
  return async (instance: FastifyInstance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();

    // The bank page posts a plain HTML form; parse it here without depending on @fastify/formbody
    // being registered (encapsulated: affects only this plugin's routes).
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded')) {
      app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 4096 }, (_request, body, done) => {
        done(null, Object.fromEntries(new URLSearchParams(String(body))));
      });
    }

    const operatorOnly = deps.requireOperator
      ? { preHandler: async (request: FastifyRequest) => { await deps.requireOperator!(request); } }
      : {};

    // ---- bank page (public: the shopper's browser) ------------------------------------------

    app.get('/simulator/bank/:gatewayTxnId', {
      schema: { tags: ['simulator'], summary: 'The simulated bank authentication page (HTML)', params: TxnParams },
    }, async (request, reply) => {
      const view = simulator.bankPage(request.params.gatewayTxnId);
      if (!view) throw notFound('Payment');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .send(renderBankPage(view));
    });

    app.post('/simulator/bank/:gatewayTxnId', {
      schema: { tags: ['simulator'], summary: 'Record the authentication result and return to the merchant', params: TxnParams, body: BankResultBody },
    }, async (request, reply) => {
      const recorded = simulator.recordAuthentication(request.params.gatewayTxnId, request.body.result);
      if (!recorded) throw notFound('Payment');
      return reply.redirect(withGatewayTxnId(recorded.returnUrl, request.params.gatewayTxnId), 302);
    });

    // ---- control API (operator) ---------------------------------------------------------------

    app.get('/simulator/gateways', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'All simulated gateway profiles' },
    }, async () => ({ gateways: simulator.getProfiles() }));

    app.get('/simulator/gateways/:gateway', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'One simulated gateway profile', params: GatewayParams },
    }, async (request) => {
      const profile = simulator.getProfile(request.params.gateway);
      if (!profile) throw notFound('Simulated gateway');
      return profile;
    });

    app.put('/simulator/gateways/:gateway', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'Replace a simulated gateway profile', params: GatewayParams, body: SimulatorProfileSchema },
    }, async (request) => {
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return profileOrThrow(simulator.setProfile(request.params.gateway, request.body));
    });

    app.patch('/simulator/gateways/:gateway', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'Change part of a simulated gateway profile', params: GatewayParams, body: ProfilePatchSchema },
    }, async (request) => {
      const result = simulator.patchProfile(request.params.gateway, request.body as Record<string, unknown>);
      if (!result) throw notFound('Simulated gateway');
      return profileOrThrow(result);
    });

    app.post('/simulator/gateways/:gateway/outages', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'Start an outage now', params: GatewayParams, body: OutageBody },
    }, async (request, reply) => {
      const { gateway } = request.params;
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
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'End every outage of a gateway', params: GatewayParams },
    }, async (request) => {
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return { ended: simulator.endOutage(request.params.gateway) };
    });

    app.post('/simulator/reset', {
      ...operatorOnly,
      schema: { tags: ['simulator'], summary: 'Restore default profiles and forget all simulated payments' },
    }, async () => {
      simulator.reset();
      return { reset: true };
    });
  };
}
