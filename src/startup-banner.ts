// The lines the service prints when it starts listening: where it is, and on the first start
// the demo merchant's secrets (API key, response key, webhook signing key, users), shown once.
// Printed to stdout, never through the logger, so secrets do not land in structured logs.
import type { DemoSeedResult } from './core/merchants/demo-seed.ts';

export interface StartupBannerInput {
  publicBaseUrl: string;
  /** e.g. "PGlite in ./data" or "PostgreSQL". */
  storage: string;
  demo: DemoSeedResult | null;
  /** DEMO_USER_PASSWORD is set: the password printed is the configured one, not a fresh random one. */
  demoUserPasswordFixed: boolean;
}

export function startupBanner(input: StartupBannerInput): string[] {
  const { publicBaseUrl, demo } = input;
  const lines = ['', `Junction is listening on ${publicBaseUrl} (storage: ${input.storage})`, `  API docs:      ${publicBaseUrl}/docs`, `  OpenAPI:       ${publicBaseUrl}/openapi.json`];
  if (!demo) return lines;
  lines.push(`  Demo merchant: ${demo.merchantId}`);
  if (demo.emulatedGateways !== undefined)
    lines.push(`  Real connectors on local emulators (DEMO_CONNECTORS=emulators): ${demo.emulatedGateways.join(', ')}; route a card to one with the order's gateway_id or a Priority Logic`);
  if (demo.apiKey) lines.push(`  Demo API key:  ${demo.apiKey}   (shown once; set DEMO_API_KEY to fix it)`);
  else lines.push('  Demo API key:  created on first start (set DEMO_API_KEY to fix it)');
  if (demo.responseKey && demo.webhookHmacKey) {
    lines.push(`  Response key:  ${demo.responseKey}   (verifies the return-URL signature; see docs/webhooks.md)`);
    lines.push(`  Webhook key:   ${demo.webhookHmacKey}   (verifies x-junction-signature on webhooks)`);
    lines.push(`                 shown once; \`npm run admin -- show-signing-keys --merchant ${demo.merchantId}\` shows them again`);
  } else {
    lines.push(`  Signing keys:  \`npm run admin -- show-signing-keys --merchant ${demo.merchantId}\` (response key and webhook key)`);
  }
  for (const user of demo.users ?? []) {
    lines.push(`  Demo user:     ${user.email} (${user.role})${user.token ? `  token: ${user.token}` : ''}`);
  }
  lines.push(`  Dashboard:     ${publicBaseUrl}/dashboard/`);
  if (demo.userPassword) lines.push(`  Sign in as any demo user with the password: ${demo.userPassword}${input.demoUserPasswordFixed ? '' : '   (shown once; set DEMO_USER_PASSWORD to fix it)'}`);
  else lines.push('  Demo users sign in with the password printed on first start (DEMO_USER_PASSWORD fixes it; `npm run admin -- set-password` resets it)');
  lines.push('  Users call the Priority Logic API with Authorization: Bearer <token> (see docs/priority-logic-api.md)');
  return lines;
}
