// The demo merchant: one merchant and four simulated gateway accounts, created on first start
// so a fresh install can take a payment at once. Idempotent: an existing merchant is left as it
// is, except that a fixed DEMO_API_KEY is added to it when missing (scripts rely on that key).
import { randomToken } from '../crypto.ts';
import { AppError } from '../errors.ts';
import type { GatewayName } from '../gateways.ts';
import type { DemoUser } from '../priority-logic/user-service.ts';
import type { MerchantService } from './merchant-service.ts';
import type { GatewayAccountInput } from './types.ts';

export const DEFAULT_DEMO_MERCHANT_ID = 'demo_merchant';

export interface DemoSeedOptions {
  /** DEMO_MERCHANT_ID: used exactly when given. */
  merchantId?: string;
  /** DEMO_API_KEY: used exactly when given. */
  apiKey?: string;
}

export interface DemoSeedResult {
  created: boolean;
  merchantId: string;
  /** Present when the merchant was just created, or when the key was fixed by the caller. */
  apiKey?: string;
  /** The return-URL response key and the webhook signing key: only when the merchant was just created. */
  responseKey?: string;
  webhookHmacKey?: string;
  /** Demo dashboard users (Priority Logic); a token only when just created or fixed by DEMO_*_TOKEN. */
  users?: DemoUser[];
  /** The demo users' dashboard password: when just set (random) or fixed by DEMO_USER_PASSWORD. */
  userPassword?: string | null;
  /** Real connectors whose emulators run in process (DEMO_CONNECTORS=emulators) and got a demo account. */
  emulatedGateways?: string[];
}

const ALL_METHODS = ['CARD', 'NB', 'UPI', 'WALLET'];

/** SIM_DELTA takes no UPI, so eligibility filtering is visible in the demo. Fees make cost routing visible. */
const DEMO_ACCOUNTS: ReadonlyArray<{ gateway: GatewayName; methods: string[]; priority: number; fees: Record<string, number> }> = [
  { gateway: 'SIM_ALPHA', methods: ALL_METHODS, priority: 10, fees: { percent: 2.0, fixed_minor: 0 } },
  { gateway: 'SIM_BETA', methods: ALL_METHODS, priority: 20, fees: { percent: 1.8, fixed_minor: 200 } },
  { gateway: 'SIM_GAMMA', methods: ALL_METHODS, priority: 30, fees: { percent: 2.2, fixed_minor: 0 } },
  { gateway: 'SIM_DELTA', methods: ['CARD', 'NB', 'WALLET'], priority: 40, fees: { percent: 1.5, fixed_minor: 300 } },
];

export function demoGatewayAccounts(): GatewayAccountInput[] {
  return DEMO_ACCOUNTS.map((a) => ({
    gateway: a.gateway,
    credentials: { api_key: `sim_${randomToken(18)}`, webhook_secret: `whsec_${randomToken(18)}` },
    paymentMethodTypes: [...a.methods],
    // Empty: every currency.
    currencies: [],
    enabled: true,
    priority: a.priority,
    fees: { ...a.fees },
  }));
}

export async function seedDemo(service: MerchantService, options: DemoSeedOptions = {}): Promise<DemoSeedResult> {
  const merchantId = options.merchantId || DEFAULT_DEMO_MERCHANT_ID;
  const fixedKey = options.apiKey || undefined;
  const existing = await service.findMerchant(merchantId);
  if (existing) {
    if (!fixedKey) return { created: false, merchantId };
    const owner = await service.authenticate(fixedKey);
    if (owner && owner.merchantId !== merchantId) {
      throw new AppError('ALREADY_EXISTS', `DEMO_API_KEY already belongs to merchant ${owner.merchantId}`);
    }
    // A revoked DEMO_API_KEY cannot be re-added (its digest is taken): createApiKey says so.
    if (!owner) await service.createApiKey(merchantId, 'demo (DEMO_API_KEY)', { key: fixedKey });
    return { created: false, merchantId, apiKey: fixedKey };
  }
  let created;
  try {
    created = await service.createMerchant({ id: merchantId, name: 'Demo Merchant', ...(fixedKey ? { apiKey: fixedKey } : {}) });
  } catch (error) {
    // Another instance seeded it between our check and our insert: that is fine.
    if (error instanceof AppError && error.code === 'ALREADY_EXISTS' && (await service.findMerchant(merchantId))) {
      return seedDemo(service, options);
    }
    throw error;
  }
  for (const account of demoGatewayAccounts()) await service.createGatewayAccount(merchantId, account);
  return { created: true, merchantId, apiKey: created.apiKey, responseKey: created.responseKey, webhookHmacKey: created.webhookHmacKey };
}
