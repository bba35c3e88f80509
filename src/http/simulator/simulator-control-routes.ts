// The simulator's control API (a merchant's own simulated gateways; the admin's for any merchant):
// profiles, outages and reset.
import { AppError, notFound } from '../../core/errors.ts';
import type { PaymentMethodType } from '../../core/payment-methods.ts';
import type { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';
import type { ProfileValidation } from '../../connectors/simulator/simulator-profile.ts';
import { NoBody } from '../schemas.ts';
import type { CallerScope, SimulatorApp } from './simulator-scope.ts';
import { ADMIN_OR_MERCHANT, GatewayParams, OutageBody, ProfilePatchSchema, ScopeQuery, SimulatorProfileSchema } from './simulator-schemas.ts';

function profileOrThrow(result: ProfileValidation): unknown {
  if (result.ok) return result.profile;
  const [first] = result.errors;
  throw new AppError('INVALID_INPUT', `Invalid value for ${first.field_name}: ${first.reason}`, { fields: result.errors });
}

const control = (summary: string, description: string) => ({ tags: ['simulator'], summary, description, security: ADMIN_OR_MERCHANT, querystring: ScopeQuery });
const SCOPE = "The caller's own merchant (API key, dashboard session or user token); with the admin key, the merchant named by `merchant_id`.";

export function registerSimulatorControlRoutes(app: SimulatorApp, simulators: SimulatorFleet, scope: CallerScope): void {
  const { authenticated, simulatorOf, scopeOf } = scope;
  app.get(
    '/simulator/gateways',
    {
      ...authenticated,
      schema: control('All simulated gateway profiles of one merchant', SCOPE),
    },
    async (request) => ({ gateways: (await simulatorOf(request, request.query, false)).getProfiles() }),
  );

  app.get(
    '/simulator/gateways/:gateway',
    {
      ...authenticated,
      schema: { ...control('One simulated gateway profile of one merchant', SCOPE), params: GatewayParams },
    },
    async (request) => {
      const profile = (await simulatorOf(request, request.query, false)).getProfile(request.params.gateway);
      if (!profile) throw notFound('Simulated gateway');
      return profile;
    },
  );

  app.put(
    '/simulator/gateways/:gateway',
    {
      ...authenticated,
      schema: { ...control("Replace one merchant's simulated gateway profile", `${SCOPE} Other merchants' gateways are untouched.`), params: GatewayParams, body: SimulatorProfileSchema },
    },
    async (request) => {
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return profileOrThrow(simulator.setProfile(request.params.gateway, request.body));
    },
  );

  app.patch(
    '/simulator/gateways/:gateway',
    {
      ...authenticated,
      schema: { ...control("Change part of one merchant's simulated gateway profile", `${SCOPE} Objects merge key by key, arrays replace.`), params: GatewayParams, body: ProfilePatchSchema },
    },
    async (request) => {
      const result = (await simulatorOf(request, request.query, true)).patchProfile(request.params.gateway, request.body);
      if (!result) throw notFound('Simulated gateway');
      return profileOrThrow(result);
    },
  );

  app.post(
    '/simulator/gateways/:gateway/outages',
    {
      ...authenticated,
      schema: { ...control("Start an outage now on one merchant's simulated gateway", `${SCOPE} Only that merchant's payments see it.`), params: GatewayParams, body: OutageBody },
    },
    async (request, reply) => {
      const { gateway } = request.params;
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(gateway)) throw notFound('Simulated gateway');
      const body = request.body;
      let untilMs: number | undefined;
      if (body.until !== undefined) {
        untilMs = typeof body.until === 'number' ? body.until : Date.parse(body.until);
        if (!Number.isFinite(untilMs))
          throw new AppError('INVALID_INPUT', 'Invalid value for until: must be epoch ms or an ISO-8601 date', { fields: [{ field_name: 'until', reason: 'must be epoch ms or an ISO-8601 date' }] });
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
    },
  );

  app.delete(
    '/simulator/gateways/:gateway/outages',
    {
      ...authenticated,
      schema: { ...control("End every outage of one merchant's simulated gateway", SCOPE), params: GatewayParams },
    },
    async (request) => {
      const simulator = await simulatorOf(request, request.query, true);
      if (!simulator.hasGateway(request.params.gateway)) throw notFound('Simulated gateway');
      return { ended: simulator.endOutage(request.params.gateway) };
    },
  );

  app.post(
    '/simulator/reset',
    {
      ...authenticated,
      schema: {
        ...control(
          "Restore one merchant's default profiles and forget its simulated payments; with the admin key and no merchant_id, every merchant's",
          "A merchant's key resets only its own simulated gateways and ledger (its refunds of payments made before the reset then fail at the simulated gateway; nobody else's do). The admin key resets the merchant named by `merchant_id`, or, without it, every merchant's simulator and the whole simulator ledger.",
        ),
        body: NoBody,
      },
    },
    async (request) => {
      const caller = scope.callerOf(request);
      if (caller?.kind === 'ADMIN' && request.query.merchant_id === undefined) {
        await simulators.resetAll();
        return { reset: true, scope: 'ALL_MERCHANTS' };
      }
      const merchantId = await scopeOf(request, request.query, true);
      await simulators.resetMerchant(merchantId);
      return { reset: true, scope: 'MERCHANT', merchant_id: merchantId };
    },
  );
}
