// Admin API for dashboard users (mounted at /admin/v1 beside the merchant admin routes):
// create a user with a role (the bearer token is returned once) and list them. Guarded by the
// operator key (JUNCTION_ADMIN_KEY) as a Bearer token, like the rest of the admin API.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requireAdminKey } from '../auth/admin-auth.ts';
import { AppError } from '../../core/errors.ts';
import { checkPasswordPolicy } from '../../core/password-hash.ts';
import type { UserService } from '../../core/priority-logic/user-service.ts';
import type { SessionService } from '../../core/sessions/session-service.ts';
import { UserBody, userToWire } from './wire.ts';
import { NoQuery } from '../schemas.ts';

export interface UserAdminRoutesDeps {
  users: UserService;
  /** Sets dashboard sign-in passwords. */
  sessions: SessionService;
  adminApiKey: string | undefined;
}

const ErrorRef = Type.Ref('ErrorBody');
const errors = { 400: ErrorRef, 401: ErrorRef, 403: ErrorRef, 404: ErrorRef, 409: ErrorRef };
const security: Array<Record<string, string[]>> = [{ adminBearer: [] }];
const MerchantParams = Type.Object({ merchantId: Type.String({ maxLength: 64 }) });

export function userAdminRoutes(deps: UserAdminRoutesDeps): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addHook('onRequest', requireAdminKey(deps.adminApiKey));

    app.post(
      '/merchants/:merchantId/users',
      {
        schema: {
          tags: ['admin', 'priority-logic'],
          security,
          summary: 'Create a dashboard user with a role (ADMIN, EDITOR, APPROVER, VIEWER); the token is shown once',
          params: MerchantParams,
          body: Type.Object(
            {
              email: Type.String({ maxLength: 254 }),
              name: Type.String({ maxLength: 200 }),
              role: Type.String({ enum: ['ADMIN', 'EDITOR', 'APPROVER', 'VIEWER'] }),
              password: Type.Optional(Type.String({ maxLength: 200, description: 'Dashboard sign-in password (at least 10 characters); without it the user has a token only' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ user: UserBody, token: Type.String() }), ...errors },
        },
      },
      async (request, reply) => {
        const { password, ...fields } = request.body;
        if (password !== undefined) checkPasswordPolicy(password); // before anything is written
        const created = await deps.users.createUser(request.params.merchantId, fields);
        if (password !== undefined) await deps.sessions.setPassword(request.params.merchantId, created.user.id, password);
        return reply.status(201).send({ user: userToWire(created.user), token: created.token });
      },
    );

    app.put(
      '/merchants/:merchantId/users/password',
      {
        schema: {
          tags: ['admin', 'dashboard-auth'],
          security,
          summary: "Set a dashboard user's sign-in password (ends the user's sessions)",
          params: MerchantParams,
          body: Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 200 }) }, { additionalProperties: false }),
          response: { 204: Type.Null(), ...errors },
        },
      },
      async (request, reply) => {
        const user = (await deps.users.listUsers(request.params.merchantId)).find((u) => u.email.toLowerCase() === request.body.email.trim().toLowerCase());
        if (!user) throw new AppError('RESOURCE_NOT_FOUND', 'User not found', { fields: [{ field_name: 'email', reason: 'no user with this email in this merchant' }] });
        await deps.sessions.setPassword(request.params.merchantId, user.id, request.body.password);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/merchants/:merchantId/users',
      {
        schema: {
          querystring: NoQuery,
          tags: ['admin', 'priority-logic'],
          security,
          summary: 'List dashboard users',
          params: MerchantParams,
          response: { 200: Type.Object({ users: Type.Array(UserBody) }), ...errors },
        },
      },
      async (request) => ({ users: (await deps.users.listUsers(request.params.merchantId)).map(userToWire) }),
    );
  };
}
