// Intelligent routing over HTTP: gateway health (dashboard), scheduled outages, the ranking
// settings, and routing as a service (decide-gateway / update-gateway-score).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, invalidField } from '../../core/errors.ts';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import { hasRight } from '../../core/priority-logic/priority-logic-service.ts';
import { routingSettingsToFullWire } from '../../core/routing-settings.ts';
import { decisionWire } from '../../core/payments/decision-wire.ts';
import type { DecideService } from '../../core/routing-intelligence/decide-service.ts';
import type { RoutingIntelligence } from '../../core/routing-intelligence/routing-intelligence.ts';
import type { ScheduledOutageRecord } from '../../core/routing-intelligence/ports.ts';
import type { Segment } from '../../routing/scoring/index.ts';
import type { MerchantPrincipal } from '../auth/merchant-auth.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import { NoQuery } from '../schemas.ts';
import type { FastifyRequest } from 'fastify';

export interface RoutingIntelligenceRouteDeps {
  intelligence: RoutingIntelligence;
  decide: DecideService;
  merchants: MerchantService;
  actorOf: ActorAuth;
  auth: { required(request: FastifyRequest): Promise<MerchantPrincipal> };
}

const tags = ['routing'];
const actorSecurity: Array<Record<string, string[]>> = [{ userBearer: [] }, { basicAuth: [] }];
const keySecurity: Array<Record<string, string[]>> = [{ basicAuth: [] }];
const RANKING_MODE = Type.Union([Type.Literal('OFF'), Type.Literal('WITHIN_LOGIC'), Type.Literal('ALL_ELIGIBLE')]);
const err = { 400: Type.Ref('ErrorBody'), 401: Type.Ref('ErrorBody') };

const HealthQuery = Type.Object(
  {
    payment_method_type: Type.Optional(Type.String({ maxLength: 32, description: 'Health of this segment (with the fields below) instead of the gateway as a whole' })),
    payment_method: Type.Optional(Type.String({ maxLength: 64 })),
    issuer: Type.Optional(Type.String({ maxLength: 128 })),
  },
  { additionalProperties: false },
);

const GatewayHealth = Type.Object({
  gateway: Type.String(),
  health: Type.Union([Type.Literal('UP'), Type.Literal('FLUCTUATE'), Type.Literal('DOWN')]),
  mean: Type.Number({ description: 'Estimated success rate (hard declines and shopper errors excluded)' }),
  evidence: Type.Number({ description: 'Effective observations behind the estimate, prior included' }),
  observations: Type.Number({ description: 'Discounted outcomes of the gateway at this level' }),
  last_alarm_at: Type.Union([Type.String({ format: 'date-time' }), Type.Null()], { description: 'Last change the detector signalled (outage or recovery)' }),
  alarms: Type.Integer(),
  scheduled_outage: Type.Boolean(),
});

const HealthResponse = Type.Object({
  segment: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  thresholds: Type.Object({ down_below: Type.Number(), fluctuate_below: Type.Number() }),
  gateways: Type.Array(GatewayHealth),
});

const OutageBody = Type.Object(
  {
    gateway: Type.String({ minLength: 1, maxLength: 64 }),
    start: Type.String({ description: 'ISO 8601 date-time' }),
    end: Type.String({ description: 'ISO 8601 date-time, after start' }),
    payment_method_type: Type.Optional(Type.String({ maxLength: 32, description: 'Only payments of this type (CARD, UPI, ...)' })),
  },
  { additionalProperties: false },
);
const Outage = Type.Object({
  id: Type.String(),
  gateway: Type.String(),
  start: Type.String(),
  end: Type.String(),
  payment_method_type: Type.Union([Type.String(), Type.Null()]),
  active: Type.Boolean(),
  created_at: Type.String(),
});

const SettingsBody = Type.Object(
  {
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
    retry_soft_declines: Type.Optional(Type.Boolean()),
    ranking_mode: Type.Optional(RANKING_MODE),
    health_down_below: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Estimated success rate below which a gateway is DOWN' })),
    health_fluctuate_below: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Estimated success rate below which a gateway is FLUCTUATE' })),
    exploration_percent: Type.Optional(Type.Number({ minimum: 0, maximum: 20, description: 'Decisions that try a non-best healthy gateway first' })),
    probe_percent: Type.Optional(Type.Number({ minimum: 0, maximum: 20, description: 'Decisions that probe a DOWN or degraded gateway first' })),
    cost_tolerance_points: Type.Optional(
      Type.Number({ minimum: 0, maximum: 100, description: 'Prefer the cheaper gateway while its expected success is within this many percentage points of the best' }),
    ),
  },
  { additionalProperties: false },
);

/** What decide and feedback both say of a payment: its id and its scoring segment. */
const SegmentFields = {
  paymentId: Type.Optional(Type.String({ maxLength: 64 })),
  paymentMethodType: Type.String({ maxLength: 32 }),
  paymentMethod: Type.Optional(Type.String({ maxLength: 64 })),
  cardBrand: Type.Optional(Type.String({ maxLength: 32 })),
  cardType: Type.Optional(Type.String({ maxLength: 32 })),
  cardIssuer: Type.Optional(Type.String({ maxLength: 128 })),
  cardIssuerBankName: Type.Optional(Type.String({ maxLength: 128 })),
  authType: Type.Optional(Type.String({ maxLength: 32 })),
};
const Amount = (description?: string) => Type.Union([Type.Number({ minimum: 0 }), Type.String({ maxLength: 20 })], description ? { description } : {});
const Currency = Type.String({ minLength: 3, maxLength: 3 });

const PaymentInfo = Type.Object(
  {
    ...SegmentFields,
    amount: Amount('Decimal amount in major units (100.50)'),
    currency: Currency,
    cardIsin: Type.Optional(Type.String({ pattern: '^[0-9]{6,8}$' })),
    customerId: Type.Optional(Type.String({ maxLength: 128 })),
    udfs: Type.Optional(Type.Record(Type.String(), Type.String())),
    metadata: Type.Optional(Type.Record(Type.String(), Type.String())),
    preferredGateway: Type.Optional(Type.String({ maxLength: 64 })),
    country: Type.Optional(Type.String({ maxLength: 3 })),
  },
  { additionalProperties: false },
);

const DecideBody = Type.Object(
  {
    merchantId: Type.Optional(Type.String({ maxLength: 64, description: 'Implied by the API key; when sent, must match it' })),
    paymentInfo: PaymentInfo,
    eligibleGatewayList: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { maxItems: 50, description: 'Restrict the decision to these gateways' })),
    rankingAlgorithm: Type.Optional(
      Type.Union([Type.Literal('SR_BASED_ROUTING'), Type.Literal('PL_BASED_ROUTING')], {
        description: "PL_BASED_ROUTING: the Priority Logic order only (the logic's own ranking mode applies); default SR_BASED_ROUTING",
      }),
    ),
    rankingMode: Type.Optional(RANKING_MODE),
  },
  { additionalProperties: false },
);

const RankedGateway = Type.Object({
  gateway: Type.String(),
  account_id: Type.String(),
  label: Type.String(),
  score: Type.Union([Type.Number(), Type.Null()]),
  mean: Type.Union([Type.Number(), Type.Null()]),
  health: Type.Union([Type.String(), Type.Null()]),
  fee_minor: Type.Union([Type.Number(), Type.Null()]),
});

const DecideResponse = Type.Object({
  decided_gateway: Type.Union([Type.String(), Type.Null()]),
  decided_account_id: Type.Union([Type.String(), Type.Null()]),
  gateway_priority_map: Type.Record(Type.String(), Type.Number(), { description: 'Estimated success rate per gateway, in decision order' }),
  gateway_labels: Type.Record(Type.String(), Type.String(), { description: 'EXPLOIT, EXPLORE, ELIMINATED or DEFAULT' }),
  routing_approach: Type.String({ description: 'SR_SELECTION, SR_EXPLORATION, PRIORITY_LOGIC or DEFAULT' }),
  ranking_mode: Type.String(),
  enforced: Type.Boolean(),
  priority_logic_tag: Type.Union([Type.String(), Type.Null()]),
  routing_dimension: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  payment_id: Type.String(),
  gateways: Type.Array(RankedGateway),
  decision: Type.Object({}, { additionalProperties: true, description: 'The whole decision record, as stored on a transaction' }),
});

const UpdateBody = Type.Object(
  {
    merchantId: Type.Optional(Type.String({ maxLength: 64 })),
    gateway: Type.String({ minLength: 1, maxLength: 64 }),
    paymentId: Type.Optional(Type.String({ maxLength: 64 })),
    paymentInfo: Type.Object({ ...SegmentFields, currency: Type.Optional(Currency), amount: Type.Optional(Amount()) }, { additionalProperties: false }),
    status: Type.String({ maxLength: 32, description: 'SUCCESS or FAILURE, or a Juspay status (CHARGED, AUTHORIZATION_FAILED, AUTHENTICATION_FAILED, ...)' }),
    gatewayCode: Type.Optional(Type.String({ maxLength: 64, description: 'Raw gateway code: classified by the gateway status table' })),
    unifiedCode: Type.Optional(Type.String({ maxLength: 64 })),
    countsAgainstGateway: Type.Optional(Type.Boolean({ description: 'Overrides the classification (hard declines and shopper errors: false)' })),
  },
  { additionalProperties: false },
);

const UpdateResponse = Type.Object({
  message: Type.String(),
  gateway: Type.String(),
  success: Type.Boolean(),
  counts_against_gateway: Type.Boolean(),
  classification_source: Type.String(),
  counted: Type.Boolean(),
  alarms: Type.Integer(),
});

function outageView(o: ScheduledOutageRecord, now: number) {
  return {
    id: o.id,
    gateway: o.gateway,
    start: o.startAt.toISOString(),
    end: o.endAt.toISOString(),
    payment_method_type: o.paymentMethodType,
    active: now >= o.startAt.getTime() && now < o.endAt.getTime(),
    created_at: o.createdAt.toISOString(),
  };
}

export function routingIntelligenceRoutes(deps: RoutingIntelligenceRouteDeps): FastifyPluginAsyncTypebox {
  const { intelligence, decide, merchants, actorOf, auth } = deps;
  return async (app) => {
    app.get(
      '/v1/routing/health',
      { schema: { tags, security: actorSecurity, summary: 'Gateway health (UP / FLUCTUATE / DOWN) per gateway, or per segment', querystring: HealthQuery, response: { 200: HealthResponse, ...err } } },
      async (request) => {
        const actor = await actorOf(request);
        const q = request.query;
        if ((q.payment_method || q.issuer) && !q.payment_method_type) throw invalidField('payment_method_type', 'is required with payment_method or issuer');
        if (q.issuer && !q.payment_method) throw invalidField('payment_method', 'is required with issuer');
        const segment: Segment | null = q.payment_method_type ? { paymentMethodType: q.payment_method_type, paymentMethod: q.payment_method ?? null, issuer: q.issuer ?? null } : null;
        const health = await intelligence.health(actor.merchantId, segment);
        const wireSegment = q.payment_method_type ? (Object.fromEntries(Object.entries(q).filter(([, v]) => typeof v === 'string' && v !== '')) as Record<string, string>) : null;
        return { segment: wireSegment, ...health };
      },
    );

    app.get(
      '/v1/routing/scheduled-outages',
      { schema: { tags, security: actorSecurity, summary: 'Scheduled gateway outages', querystring: NoQuery, response: { 200: Type.Object({ outages: Type.Array(Outage) }), ...err } } },
      async (request) => {
        const actor = await actorOf(request);
        const now = Date.now();
        return { outages: (await intelligence.listOutages(actor.merchantId)).map((o) => outageView(o, now)) };
      },
    );

    app.post(
      '/v1/routing/scheduled-outages',
      { schema: { tags, security: actorSecurity, summary: 'Mark a scheduled outage: the gateway is skipped by ranking meanwhile (ADMIN)', body: OutageBody, response: { 201: Outage, ...err } } },
      async (request, reply) => {
        const actor = await actorOf(request);
        if (!hasRight(actor, 'release')) throw new AppError('UNAUTHORIZED', 'You do not have access');
        const created = await intelligence.createOutage(actor.merchantId, request.body);
        return reply.status(201).send(outageView(created, Date.now()));
      },
    );

    app.delete(
      '/v1/routing/scheduled-outages/:id',
      {
        schema: {
          tags,
          security: actorSecurity,
          summary: 'Delete a scheduled outage (ADMIN)',
          params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
          querystring: NoQuery,
          response: { 200: Type.Object({ deleted: Type.Boolean() }), ...err },
        },
      },
      async (request) => {
        const actor = await actorOf(request);
        if (!hasRight(actor, 'release')) throw new AppError('UNAUTHORIZED', 'You do not have access');
        await intelligence.deleteOutage(actor.merchantId, request.params.id);
        return { deleted: true };
      },
    );

    app.get(
      '/v1/routing/settings',
      { schema: { tags, security: actorSecurity, summary: 'Routing settings with intelligent-routing knobs (defaults filled in)', querystring: NoQuery } },
      async (request) => {
        const actor = await actorOf(request);
        return routingSettingsToFullWire(await merchants.getRoutingSettings(actor.merchantId));
      },
    );

    app.put(
      '/v1/routing/settings',
      { schema: { tags, security: actorSecurity, summary: 'Change routing settings, intelligent-routing knobs included (ADMIN)', body: SettingsBody } },
      async (request) => {
        const actor = await actorOf(request);
        if (!hasRight(actor, 'release')) throw new AppError('UNAUTHORIZED', 'You do not have access');
        const settings = await merchants.updateRoutingSettings(actor.merchantId, request.body);
        intelligence.invalidate(actor.merchantId);
        return routingSettingsToFullWire(settings);
      },
    );

    app.post(
      '/v1/decide-gateway',
      { schema: { tags, security: keySecurity, summary: 'Routing as a service: which gateway should this payment use', body: DecideBody, response: { 200: DecideResponse, ...err } } },
      async (request, reply) => {
        const principal = await auth.required(request);
        const { segment: _segment, record, ...answer } = await decide.decideGateway(principal.merchantId, request.body);
        // The hot path: plain JSON.stringify beats the schema serializer on the free-form decision record.
        return reply
          .type('application/json; charset=utf-8')
          .serializer(JSON.stringify)
          .send({ ...answer, decision: decisionWire(record) });
      },
    );

    app.post(
      '/v1/update-gateway-score',
      { schema: { tags, security: keySecurity, summary: 'Routing as a service: report how a payment on a gateway went', body: UpdateBody, response: { 200: UpdateResponse, ...err } } },
      async (request) => {
        const principal = await auth.required(request);
        return decide.updateGatewayScore(principal.merchantId, request.body);
      },
    );
  };
}
