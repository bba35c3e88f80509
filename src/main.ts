// Reads the configuration, builds the app, listens, and shuts down gracefully on SIGINT/SIGTERM.
import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const junction = await buildApp(config, { startWorkers: true });
  const { app } = junction;
  await app.listen({ port: config.port, host: config.host });
  const storage = junction.db.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
  const lines = [
    '',
    `Junction is listening on ${config.publicBaseUrl} (storage: ${storage})`,
    `  API docs:      ${config.publicBaseUrl}/docs`,
    `  OpenAPI:       ${config.publicBaseUrl}/openapi.json`,
  ];
  if (junction.demo) {
    lines.push(`  Demo merchant: ${junction.demo.merchantId}`);
    if (junction.demo.apiKey) lines.push(`  Demo API key:  ${junction.demo.apiKey}   (shown once; set DEMO_API_KEY to fix it)`);
    else lines.push('  Demo API key:  created on first start (set DEMO_API_KEY to fix it)');
    for (const user of junction.demo.users ?? []) {
      lines.push(`  Demo user:     ${user.email} (${user.role})${user.token ? `  token: ${user.token}` : ''}`);
    }
    lines.push(`  Dashboard:     ${config.publicBaseUrl}/dashboard/`);
    if (junction.demo.userPassword) lines.push(`  Sign in as any demo user with the password: ${junction.demo.userPassword}${config.demo.userPassword ? '' : '   (shown once; set DEMO_USER_PASSWORD to fix it)'}`);
    else lines.push('  Demo users sign in with the password printed on first start (DEMO_USER_PASSWORD fixes it; `npm run admin -- set-password` resets it)');
    lines.push('  Users call the Priority Logic API with Authorization: Bearer <token> (see docs/priority-logic-api.md)');
  }
  process.stdout.write(`${lines.join('\n')}\n\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    try {
      await junction.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('Junction failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
