// The simulated bank page (public: the shopper's browser visits it during 3-D Secure / netbanking):
// shows the payment, records the shopper's answer, and returns to the merchant.
import { notFound } from '../../core/errors.ts';
import type { SimulatorFleet } from '../../connectors/simulator/simulator-fleet.ts';
import { NoQuery } from '../schemas.ts';
import { renderBankPage } from './bank-page.ts';
import type { SimulatorApp } from './simulator-scope.ts';
import { BankResultBody, TxnParams } from './simulator-schemas.ts';

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

export function registerBankPageRoutes(app: SimulatorApp, simulators: SimulatorFleet): void {
  app.get(
    '/simulator/bank/:gatewayTxnId',
    {
      schema: { querystring: NoQuery, tags: ['simulator'], summary: 'The simulated bank authentication page (HTML)', security: [], params: TxnParams },
    },
    async (request, reply) => {
      const view = await simulators.bankPage(request.params.gatewayTxnId);
      if (!view) throw notFound('Payment');
      return reply
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
        .send(renderBankPage(view));
    },
  );

  app.post(
    '/simulator/bank/:gatewayTxnId',
    {
      schema: { tags: ['simulator'], summary: 'Record the authentication result and return to the merchant', security: [], params: TxnParams, body: BankResultBody },
    },
    async (request, reply) => {
      const recorded = await simulators.recordAuthentication(request.params.gatewayTxnId, request.body.result);
      if (!recorded) throw notFound('Payment');
      return reply.redirect(withGatewayTxnId(recorded.returnUrl, request.params.gatewayTxnId), 302);
    },
  );
}
