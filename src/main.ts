// Reads the configuration, builds the app, listens, and shuts down gracefully on SIGINT/SIGTERM.
import { loadConfig } from './config.ts';
import { buildApp } from './app.ts';
import { startupBanner } from './startup-banner.ts';

async function main(): Promise<void> {
  const config = loadConfig();
  const junction = await buildApp(config, { startWorkers: true });
  const { app } = junction;
  await app.listen({ port: config.port, host: config.host });
  const storage = junction.db.engine === 'pglite' ? `PGlite in ${config.dataDir}` : 'PostgreSQL';
  const lines = startupBanner({
    publicBaseUrl: config.publicBaseUrl,
    storage,
    demo: junction.demo,
    demoUserPasswordFixed: Boolean(config.demo.userPassword),
  });
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
