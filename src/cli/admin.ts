// The admin CLI: `npm run admin -- <command> [--flags]`. Works on the database directly (the
// same DATA_DIR / DATABASE_URL and master keys as the service), or, with --url, through a
// running service's admin API: an embedded PGlite database can be open in one process only.
import { loadConfig } from '../config.ts';
import { keyRingFromConfig, LOCAL_FALLBACK_SECRET, type KeyRing } from '../core/crypto.ts';
import { AppError } from '../core/errors.ts';
import { createMerchantService, type MerchantService } from '../core/merchants/merchant-service.ts';
import { apiKeyToWire, gatewayAccountToWire, merchantToWire } from '../http/admin/admin-routes.ts';
import { migrate, openDb, type Db } from '../storage/db.ts';
import { rotateSecrets } from '../storage/key-rotation.ts';
import { checkPasswordPolicy } from '../core/password-hash.ts';
import { createUserService } from '../core/priority-logic/user-service.ts';
import { createSessionService } from '../core/sessions/session-service.ts';
import { userToWire } from '../http/priority-logic/wire.ts';
import { createPriorityLogicStore } from '../storage/priority-logic-repository.ts';
import { createSessionStore } from '../storage/session-repository.ts';
import { createMerchantRepository } from '../storage/merchant-repository.ts';
import { ADMIN_USAGE, CliUsageError, parseAdminArgs, remoteRequest, type AdminCommand } from './admin-args.ts';


function userServices(merchants: MerchantService, db: Db) {
  const users = createUserService({ store: createPriorityLogicStore(db), merchantExists: async (id) => (await merchants.findMerchant(id)) !== null });
  const sessions = createSessionService({ store: createSessionStore(db), ttlMs: 3_600_000 });
  return { users, sessions };
}

type RunnableCommand = Exclude<AdminCommand, { command: 'help' }>;

async function runLocal(command: RunnableCommand, merchants: MerchantService, db: Db, keyRing: KeyRing): Promise<unknown> {
  switch (command.command) {
    case 'rotate-keys':
      return { primary_key_id: keyRing.primaryKeyId, reencrypted: await rotateSecrets(db, keyRing) };
    case 'create-merchant': {
      const created = await merchants.createMerchant({
        name: command.name,
        ...(command.id !== undefined ? { id: command.id } : {}),
        ...(command.webhookUrl !== undefined ? { webhookUrl: command.webhookUrl } : {}),
      });
      return {
        merchant: merchantToWire(created.merchant),
        api_key: { id: created.apiKeyId, key: created.apiKey, prefix: created.apiKeyPrefix },
        response_key: created.responseKey,
        webhook_hmac_key: created.webhookHmacKey,
      };
    }
    case 'create-key':
      return merchants.createApiKey(command.merchantId, command.label ?? null);
    case 'list-keys':
      return { api_keys: (await merchants.listApiKeys(command.merchantId)).map(apiKeyToWire) };
    case 'revoke-key':
      return apiKeyToWire(await merchants.revokeApiKey(command.merchantId, command.keyId));
    case 'add-gateway':
      return gatewayAccountToWire(
        await merchants.createGatewayAccount(command.merchantId, {
          gateway: command.gateway,
          credentials: command.credentials,
          enabled: command.enabled,
          ...(command.referenceId !== undefined ? { gatewayReferenceId: command.referenceId } : {}),
          ...(command.methods !== undefined ? { paymentMethodTypes: command.methods } : {}),
          ...(command.brands !== undefined ? { cardBrands: command.brands } : {}),
          ...(command.currencies !== undefined ? { currencies: command.currencies } : {}),
          ...(command.priority !== undefined ? { priority: command.priority } : {}),
        }),
      );
    case 'list-gateways':
      return { gateway_accounts: (await merchants.listGatewayAccounts(command.merchantId)).map(gatewayAccountToWire) };
    case 'create-user': {
      const { users, sessions } = userServices(merchants, db);
      if (command.password !== undefined) checkPasswordPolicy(command.password);
      const created = await users.createUser(command.merchantId, { email: command.email, name: command.name, role: command.role });
      if (command.password !== undefined) await sessions.setPassword(command.merchantId, created.user.id, command.password);
      return { user: userToWire(created.user), token: created.token, password_set: command.password !== undefined };
    }
    case 'set-password': {
      const { users, sessions } = userServices(merchants, db);
      const user = (await users.listUsers(command.merchantId)).find((u) => u.email.toLowerCase() === command.email.trim().toLowerCase());
      if (!user) throw new AppError('RESOURCE_NOT_FOUND', `No user ${command.email} in merchant ${command.merchantId}`);
      await sessions.setPassword(command.merchantId, user.id, command.password);
      return { user: userToWire(user), password_set: true };
    }
  }
}

async function runRemote(command: RunnableCommand, baseUrl: string, adminKey: string): Promise<unknown> {
  const { method, path, body } = remoteRequest(command);
  let response: Response;
  try {
    response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminKey}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new Error(`Cannot reach ${baseUrl}: ${(error as Error).message}`);
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: report the text as it is.
  }
  if (!response.ok) {
    const message = typeof parsed === 'object' && parsed !== null && 'error_message' in parsed ? String((parsed as { error_message: unknown }).error_message) : text;
    const error = new Error(`${response.status}: ${message}`);
    (error as Error & { details?: unknown }).details = parsed;
    throw error;
  }
  return parsed;
}

async function main(argv: readonly string[]): Promise<number> {
  const { command, url } = parseAdminArgs(argv);
  if (command.command === 'help') {
    process.stdout.write(ADMIN_USAGE);
    return 0;
  }
  if (url !== undefined) {
    const adminKey = process.env.JUNCTION_ADMIN_KEY || process.env.ADMIN_API_KEY;
    if (!adminKey) throw new CliUsageError('--url needs JUNCTION_ADMIN_KEY in the environment (the admin key of the running service)');
    process.stdout.write(`${JSON.stringify(await runRemote(command, url, adminKey), null, 2)}\n`);
    return 0;
  }
  const config = loadConfig(process.env);
  let db;
  try {
    db = await openDb({ ...(config.databaseUrl ? { databaseUrl: config.databaseUrl } : {}), dataDir: config.dataDir });
  } catch (error) {
    throw new Error(
      `Cannot open the database (${config.databaseUrl ? 'DATABASE_URL' : `DATA_DIR=${config.dataDir}`}): ${(error as Error).message}. ` +
        'If the service is running on the embedded database, stop it or use --url with JUNCTION_ADMIN_KEY.',
    );
  }
  try {
    await migrate(db);
    const keyRing = keyRingFromConfig(config.masterKeys, LOCAL_FALLBACK_SECRET);
    const merchants = createMerchantService({ store: createMerchantRepository(db), keyRing });
    process.stdout.write(`${JSON.stringify(await runLocal(command, merchants, db, keyRing), null, 2)}\n`);
    return 0;
  } finally {
    await db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliUsageError) {
      process.stderr.write(`error: ${error.message}\n\n${ADMIN_USAGE}`);
      process.exitCode = 2;
      return;
    }
    if (error instanceof AppError) {
      const fields = error.fields.map((f) => `  ${f.field_name}: ${f.reason}`).join('\n');
      process.stderr.write(`error: ${error.code}: ${error.message}${fields ? `\n${fields}` : ''}\n`);
    } else {
      const details = (error as { details?: unknown }).details;
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n${details && typeof details === 'object' ? `${JSON.stringify(details, null, 2)}\n` : ''}`);
    }
    process.exitCode = 1;
  },
);
