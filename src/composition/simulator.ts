// The simulated gateways of every merchant, wired to this app: a simulated gateway announces a
// settled payment by POSTing a signed webhook to our own endpoint, as a real gateway would.
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import type { Config } from '../config.ts';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import { buildSimulatorWebhookRequest } from '../connectors/simulator/simulator-connector.ts';
import { SimulatorFleet } from '../connectors/simulator/simulator-fleet.ts';
import type { Db } from '../storage/db.ts';
import { createSimulatorLedgerRepository } from '../storage/simulator-ledger-repository.ts';

export interface SimulatorWiring {
  app: FastifyInstance;
  config: Config;
  db: Db;
  merchants: MerchantService;
  seed: number | undefined;
  log: FastifyBaseLogger;
}

/**
 * One simulator per merchant (its own profiles, outages and ledger); the ledger is in the database.
 * Before the app listens, webhooks go through app.inject(); once it listens, over HTTP to its own port.
 */
export function createAppSimulator({ app, config, db, merchants, seed, log }: SimulatorWiring): SimulatorFleet {
  let simulatorWebhookTarget = config.publicBaseUrl;
  let listening = false;
  const simulator = new SimulatorFleet({
    seed,
    ledger: createSimulatorLedgerRepository(db),
    notify: async (gateway, payload) => {
      const account = await merchants.connectorAccount(payload.merchant_id, payload.account_id);
      const { headers, rawBody } = buildSimulatorWebhookRequest(payload, account.credentials.webhook_secret ?? '');
      const path = `/webhooks/gateways/${gateway}/${payload.merchant_id}/${payload.account_id}`;
      if (listening) {
        await fetch(`${simulatorWebhookTarget}${path}`, { method: 'POST', headers, body: rawBody });
      } else {
        await app.inject({ method: 'POST', url: path, headers, payload: rawBody });
      }
    },
    onNotifyError: (error) => log.warn({ err: error }, 'simulator webhook delivery failed'),
  });
  app.addHook('onListen', async () => {
    listening = true;
    const address = app.server.address();
    if (address && typeof address === 'object') {
      const scheme = config.tlsCertFile ? 'https' : 'http';
      simulatorWebhookTarget = `${scheme}://127.0.0.1:${address.port}`;
    }
  });
  return simulator;
}
