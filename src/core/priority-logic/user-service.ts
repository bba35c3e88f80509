// Dashboard users of a merchant, with a role each. A user authenticates with a bearer token,
// shown once at creation and stored only as its SHA-256 digest.
import { newId, randomToken, sha256Hex } from '../crypto.ts';
import { AppError, invalidField, notFound } from '../errors.ts';
import { TtlCache } from '../cache/ttl-cache.ts';
import type { PriorityLogicStore } from '../ports/priority-logic-store.ts';
import { USER_ROLES, type Actor, type User, type UserRole } from './types.ts';

export interface UserServiceDeps {
  store: Pick<PriorityLogicStore, 'insertUser' | 'findUserByTokenHash' | 'findUserByEmail' | 'setUserTokenHash' | 'listUsers'>;
  merchantExists(merchantId: string): Promise<boolean>;
  cacheTtlMs?: number;
}

export interface CreatedUser {
  user: User;
  /** The bearer token, in plaintext: shown once. */
  token: string;
}

export interface DemoUserTokens {
  admin?: string | undefined;
  editor?: string | undefined;
  approver?: string | undefined;
  viewer?: string | undefined;
}

export interface DemoUser {
  email: string;
  role: UserRole;
  /** Present when the user was just created or its token was fixed by the caller. */
  token?: string;
}

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,190}$/;

function strip({ ...user }: User & { tokenHash?: string }): User {
  delete user.tokenHash;
  return user;
}

export function createUserService(deps: UserServiceDeps) {
  const { store } = deps;
  const cache = new TtlCache<Actor | null>(deps.cacheTtlMs ?? 5_000, () => Date.now());

  const service = {
    async createUser(merchantId: string, input: { email: unknown; name: unknown; role: unknown }, options: { token?: string } = {}): Promise<CreatedUser> {
      if (!(await deps.merchantExists(merchantId))) throw notFound('Merchant');
      if (typeof input.email !== 'string' || !EMAIL.test(input.email.trim())) throw invalidField('email', 'must be an email address');
      if (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200) throw invalidField('name', 'must be 1 to 200 characters');
      if (typeof input.role !== 'string' || !(USER_ROLES as readonly string[]).includes(input.role)) throw invalidField('role', `must be one of ${USER_ROLES.join(', ')}`);
      if (options.token !== undefined && (options.token.length < 16 || options.token.length > 256)) throw invalidField('token', 'must be 16 to 256 characters');
      const token = options.token ?? `jnu_${randomToken(24)}`;
      const result = await store.insertUser({
        id: newId('usr'),
        merchantId,
        email: input.email.trim(),
        name: input.name.trim(),
        role: input.role as UserRole,
        tokenHash: sha256Hex(token),
      });
      if (!result.ok) {
        if (result.conflict === 'token') throw new AppError('ALREADY_EXISTS', 'This token is already in use', { fields: [{ field_name: 'token', reason: 'is already in use' }] });
        throw new AppError('ALREADY_EXISTS', 'A user with this email already exists for this merchant', { fields: [{ field_name: 'email', reason: 'is already taken' }] });
      }
      return { user: strip(result.value), token };
    },

    async listUsers(merchantId: string): Promise<User[]> {
      if (!(await deps.merchantExists(merchantId))) throw notFound('Merchant');
      return (await store.listUsers(merchantId)).map(strip);
    },

    /** The actor behind a bearer token, or null (unknown or disabled). */
    async authenticate(token: string): Promise<Actor | null> {
      const hash = sha256Hex(token);
      const cached = cache.get(hash);
      if (cached !== undefined) return cached;
      const user = await store.findUserByTokenHash(hash);
      const actor: Actor | null = user && !user.disabledAt ? { merchantId: user.merchantId, kind: 'USER', id: user.id, role: user.role } : null;
      cache.set(hash, actor);
      return actor;
    },

    /**
     * Demo users (admin, editor, approver, viewer) of the demo merchant. A fixed token (DEMO_*_TOKEN) is
     * used exactly, also by a user that exists already; without one a user is created once with a
     * random token, shown that time only.
     */
    async seedDemoUsers(merchantId: string, tokens: DemoUserTokens): Promise<DemoUser[]> {
      const plan: { role: UserRole; email: string; name: string; token: string | undefined }[] = [
        { role: 'ADMIN', email: 'admin@demo.junction.local', name: 'Demo Admin', token: tokens.admin || undefined },
        { role: 'EDITOR', email: 'editor@demo.junction.local', name: 'Demo Editor', token: tokens.editor || undefined },
        { role: 'APPROVER', email: 'approver@demo.junction.local', name: 'Demo Approver', token: tokens.approver || undefined },
        { role: 'VIEWER', email: 'viewer@demo.junction.local', name: 'Demo Viewer', token: tokens.viewer || undefined },
      ];
      const out: DemoUser[] = [];
      for (const p of plan) {
        try {
          out.push(await seedOne(p));
        } catch (error) {
          // Instances starting together on one database seed the same users at once: the one that
          // created a user first wins, the others take the user as it now is.
          if (!(error instanceof AppError && error.code === 'ALREADY_EXISTS')) throw error;
          out.push(await seedOne(p));
        }
      }
      return out;

      async function seedOne(p: (typeof plan)[number]): Promise<DemoUser> {
        if (p.token) {
          const owner = await store.findUserByTokenHash(sha256Hex(p.token));
          if (owner) return { email: owner.email, role: owner.role, token: p.token };
        }
        const existing = await store.findUserByEmail(merchantId, p.email);
        if (existing) {
          if (!p.token) return { email: existing.email, role: existing.role };
          // A fixed token given on a later start becomes the demo user's token (the earlier one
          // stops working), so DEMO_*_TOKEN means the same on a new and on an existing database.
          if (!(await store.setUserTokenHash(merchantId, existing.id, sha256Hex(p.token)))) {
            throw new AppError('ALREADY_EXISTS', 'This token is already in use', { fields: [{ field_name: 'token', reason: 'is already in use' }] });
          }
          return { email: existing.email, role: existing.role, token: p.token };
        }
        const email = p.email;
        const created = await service.createUser(merchantId, { email, name: p.name, role: p.role }, p.token ? { token: p.token } : {});
        return { email, role: p.role, token: created.token };
      }
    },
  };
  return service;
}

export type UserService = ReturnType<typeof createUserService>;
