// The demo data for buildApp (DEMO=on): the demo merchant and its simulated gateways, the emulated
// real gateways' accounts (DEMO_CONNECTORS=emulators), dashboard users and their password.
import type { Config } from '../config.ts';
import { seedDemo, type DemoSeedResult } from '../core/merchants/demo-seed.ts';
import type { MerchantService } from '../core/merchants/merchant-service.ts';
import type { UserService } from '../core/priority-logic/user-service.ts';
import type { SessionService } from '../core/sessions/session-service.ts';

export interface DemoWiring {
  config: Config;
  merchants: MerchantService;
  users: UserService;
  sessions: SessionService;
  /** The emulated real gateways, when they run in this process. */
  demoEmulators: { addAccounts(merchants: MerchantService, merchantId: string, publicBaseUrl: string): Promise<string[]> } | null;
}

/** Seeds the demo when it is enabled (idempotent); null otherwise. */
export async function seedDemoData({ config, merchants, users, sessions, demoEmulators }: DemoWiring): Promise<DemoSeedResult | null> {
  if (!config.demo.enabled) return null;
  const demo = await seedDemo(merchants, { merchantId: config.demo.merchantId, apiKey: config.demo.apiKey });
  if (demo.created && config.demo.intelligentRouting) {
    // Show the product at its best on a laptop: ranking on, and up to three gateways per payment.
    await merchants.updateRoutingSettings(demo.merchantId, { max_attempts: 3, ranking_mode: 'WITHIN_LOGIC' });
  }
  if (demoEmulators) demo.emulatedGateways = await demoEmulators.addAccounts(merchants, demo.merchantId, config.publicBaseUrl);
  // Demo dashboard users (fixed tokens from DEMO_*_TOKEN when set).
  demo.users = await users.seedDemoUsers(demo.merchantId, {
    admin: config.demo.userTokens.admin,
    editor: config.demo.userTokens.editor,
    approver: config.demo.userTokens.approver,
    viewer: config.demo.userTokens.viewer,
  });
  // Dashboard sign-in for the demo users (one shared password, printed when it is set).
  if (config.demo.userPasswords || config.demo.userPassword !== undefined) {
    demo.userPassword = await sessions.seedDemoPasswords(
      demo.merchantId,
      demo.users.map((u) => u.email),
      config.demo.userPassword,
    );
  }
  return demo;
}
