// What each admin CLI command does on the database (runLocal; src/cli/admin-remote.ts sends the
// same commands to a running service). Separate from the entry point so tests drive it in process;
// the entry point imports this module only for a command without --url, so a remote command does
// not load the database and the services.
import { CONNECTED_GATEWAYS, connectorCapabilities, credentialProblems } from '../connectors/registry.ts';
import { loadConfig } from '../config.ts';
import { keyRingFromConfig, LOCAL_FALLBACK_SECRET, type KeyRing } from '../core/crypto.ts';
import { AppError } from '../core/errors.ts';
import { createMerchantService, type MerchantService } from '../core/merchants/merchant-service.ts';
import { apiKeyToWire, gatewayAccountToAdminWire, merchantToWire, rotatedKeyToWire, signingKeysToWire } from '../http/admin/admin-wire.ts';
import { migrate, openDb, type Db } from '../storage/db.ts';
import { createMerchantRepository } from '../storage/merchant-repository.ts';
import { rotateSecrets } from '../storage/key-rotation.ts';
import { checkPasswordPolicy } from '../core/password-hash.ts';
import { createUserService } from '../core/priority-logic/user-service.ts';
import { createSessionService } from '../core/sessions/session-service.ts';
import { userToWire } from '../http/priority-logic/wire.ts';
import { createPriorityLogicStore } from '../storage/priority-logic-repository.ts';
import { createSessionStore } from '../storage/session-repository.ts';
import type { RunnableCommand } from './admin-args.ts';
import { runExport, runImport } from './admin-transfer.ts';

function userServices(merchants: MerchantService, db: Db) {
  const users = createUserService({ store: createPriorityLogicStore(db), merchantExists: async (id) => (await merchants.findMerchant(id)) !== null });
  const sessions = createSessionService({ store: createSessionStore(db), ttlMs: 3_600_000 });
  return { users, sessions };
}

export async function runLocal(command: RunnableCommand, merchants: MerchantService, db: Db, keyRing: KeyRing): Promise<unknown> {
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
      return gatewayAccountToAdminWire(
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
      return { gateway_accounts: (await merchants.listGatewayAccounts(command.merchantId)).map(gatewayAccountToAdminWire) };
    case 'list-merchants': {
      const page = await merchants.listMerchants({ ...(command.limit !== undefined ? { limit: command.limit } : {}), ...(command.cursor !== undefined ? { cursor: command.cursor } : {}) });
      const items = [];
      for (const merchant of page.merchants) {
        items.push({ ...merchantToWire(merchant), ...(command.withGateways ? { gateway_accounts: (await merchants.listGatewayAccounts(merchant.id)).map(gatewayAccountToAdminWire) } : {}) });
      }
      return { merchants: items, next_cursor: page.nextCursor };
    }
    case 'create-user': {
      const { users, sessions } = userServices(merchants, db);
      if (command.password !== undefined) checkPasswordPolicy(command.password);
      const created = await users.createUser(command.merchantId, { email: command.email, name: command.name, role: command.role });
      if (command.password !== undefined) await sessions.setPassword(command.merchantId, created.user.id, command.password);
      return { user: userToWire(created.user), token: created.token, password_set: command.password !== undefined };
    }
    case 'show-signing-keys':
      return signingKeysToWire(command.merchantId, await merchants.getSigningKeys(command.merchantId));
    case 'rotate-response-key':
      return rotatedKeyToWire(command.merchantId, await merchants.rotateSigningKey(command.merchantId, 'response_key'));
    case 'rotate-webhook-key':
      return rotatedKeyToWire(command.merchantId, await merchants.rotateSigningKey(command.merchantId, 'webhook_hmac_key'));
    case 'export':
      return runExport(db, command, process.stdout);
    case 'import':
      return runImport(db, command, process.stdin);
    case 'set-password': {
      const { users, sessions } = userServices(merchants, db);
      const user = (await users.listUsers(command.merchantId)).find((u) => u.email.toLowerCase() === command.email.trim().toLowerCase());
      if (!user) throw new AppError('RESOURCE_NOT_FOUND', `No user ${command.email} in merchant ${command.merchantId}`);
      await sessions.setPassword(command.merchantId, user.id, command.password);
      return { user: userToWire(user), password_set: true };
    }
  }
  // A new command that is not handled above fails to type-check here.
  const unhandled: never = command;
  throw new Error(`Unhandled command ${JSON.stringify(unhandled)}`);
}

/** The CLI without --url: opens the service's database (DATA_DIR / DATABASE_URL, the same master keys), runs the command, closes it. */
export async function runOnDatabase(command: RunnableCommand): Promise<unknown> {
  const config = loadConfig(process.env);
  let db: Db;
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
    const merchants = createMerchantService({ store: createMerchantRepository(db), keyRing, connectedGateways: CONNECTED_GATEWAYS, credentialProblems, connectorCapabilities });
    return await runLocal(command, merchants, db, keyRing);
  } finally {
    await db.close();
  }
}
