// The simulated gateways' HTTP surface: the bank page a shopper's browser visits during 3-D
// Secure / netbanking, and the control API (profiles, outages, reset). Each merchant has its own
// simulated gateways: a merchant's API key (or dashboard session) sees and changes only its own;
// the admin key names the merchant with `?merchant_id=`, or resets every merchant at once.
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
// Brings the OpenAPI fields (tags, summary) into FastifySchema's type.
import type {} from '@fastify/swagger';
import type { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';
import { registerBankPageRoutes } from './bank-page-routes.ts';
import { registerSimulatorControlRoutes } from './simulator-control-routes.ts';
import { createCallerScope, type SimulatorCaller } from './simulator-scope.ts';

export type { SimulatorCaller } from './simulator-scope.ts';

export interface SimulatorRoutesDeps {
  simulators: SimulatorFleet;
  /** Authenticates a control API call (not the bank page, which the shopper's browser visits). Throws 401 when nobody is recognised. */
  callerOf: (request: FastifyRequest) => Promise<SimulatorCaller>;
  /** Whether a merchant exists: the admin names merchants by id. */
  merchantExists: (merchantId: string) => Promise<boolean>;
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

    const scope = createCallerScope(deps);

    // ---- bank page (public: the shopper's browser) ------------------------------------------
    registerBankPageRoutes(app, simulators);

    // ---- control API (a merchant's own simulated gateways; the admin's for any merchant) -----
    registerSimulatorControlRoutes(app, simulators, scope);
  };
}
