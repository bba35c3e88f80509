// Dashboard sign-in over HTTP: POST /v1/auth/login sets the HttpOnly session cookie and returns
// the CSRF token; GET /v1/auth/me answers who is signed in; POST /v1/auth/logout ends the session.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AppError } from '../../core/errors.ts';
import { csrfMatches, type SessionService, type SessionUser } from '../../core/sessions/session-service.ts';
import { readCookie, SESSION_COOKIE, sessionCookie } from './cookies.ts';
import { NoQuery, NoBody } from '../schemas.ts';

export interface SessionRoutesDeps {
  sessions: SessionService;
  ttlMs: number;
  /** Force the Secure flag (COOKIE_SECURE); it is set anyway on HTTPS requests. */
  cookieSecure: boolean;
}

const ErrorRef = Type.Ref('ErrorBody');
const tags = ['dashboard-auth'];
const UserBody = Type.Object({
  id: Type.String(),
  email: Type.String(),
  name: Type.String(),
  role: Type.Union([Type.Literal('ADMIN'), Type.Literal('EDITOR'), Type.Literal('APPROVER'), Type.Literal('VIEWER')]),
  merchant_id: Type.String(),
});
const SignedInBody = Type.Object({ user: UserBody, csrf_token: Type.String({ description: 'Send it as x-csrf-token on every state-changing request' }) });

function userToWire(u: SessionUser) {
  return { id: u.id, email: u.email, name: u.name, role: u.role, merchant_id: u.merchantId };
}

export function sessionRoutes(deps: SessionRoutesDeps): FastifyPluginAsyncTypebox {
  const secure = (request: FastifyRequest) => deps.cookieSecure || request.protocol === 'https';
  return async (app) => {
    app.post(
      '/v1/auth/login',
      {
        schema: {
          tags,
          summary: 'Sign in to the dashboard with email and password (sets the session cookie)',
          body: Type.Object({
            email: Type.String({ maxLength: 254 }),
            password: Type.String({ maxLength: 200 }),
            merchant_id: Type.Optional(Type.String({ maxLength: 64, description: 'Needed only when the email signs in to several merchants' })),
          }),
          description:
            'Every attempt is counted before the password is checked, per email, client address and the pair; past a small budget each failure adds a growing delay (1 s doubling to 15 min), answered 429 RATE_LIMITED with Retry-After. An address that signed in to the email before is trusted for 30 days and not held back by failures from elsewhere.',
          response: { 200: SignedInBody, 400: ErrorRef, 401: ErrorRef, 429: ErrorRef },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const signedIn = await deps.sessions.signIn({ email: b.email, password: b.password, address: request.ip, ...(b.merchant_id !== undefined ? { merchantId: b.merchant_id } : {}) });
        request.log.info({ userId: signedIn.user.id, merchantId: signedIn.user.merchantId }, 'dashboard sign-in');
        reply.header('set-cookie', sessionCookie(signedIn.token, { maxAge: deps.ttlMs / 1000, secure: secure(request) }));
        reply.header('cache-control', 'no-store');
        return { user: userToWire(signedIn.user), csrf_token: signedIn.csrfToken };
      },
    );

    app.get(
      '/v1/auth/me',
      {
        schema: { querystring: NoQuery, tags, summary: 'The signed-in dashboard user and the session CSRF token', response: { 200: SignedInBody, 401: ErrorRef } },
      },
      async (request, reply) => {
        const token = readCookie(request, SESSION_COOKIE);
        const principal = token ? await deps.sessions.authenticate(token) : null;
        if (!principal) throw new AppError('UNAUTHENTICATED', 'Not signed in');
        reply.header('cache-control', 'no-store');
        return { user: userToWire(principal.user), csrf_token: principal.csrfToken };
      },
    );

    app.post(
      '/v1/auth/logout',
      {
        schema: { body: NoBody, tags, summary: 'Sign out: ends the session and clears the cookie', response: { 204: Type.Null(), 403: ErrorRef } },
      },
      async (request, reply) => {
        const token = readCookie(request, SESSION_COOKIE);
        if (token) {
          const csrf = request.headers['x-csrf-token'];
          // Signing out is state-changing too: a forged cross-site request must not end a session.
          if (!csrfMatches(token, typeof csrf === 'string' ? csrf : undefined)) throw new AppError('CSRF_TOKEN_INVALID');
          await deps.sessions.signOut(token);
        }
        reply.header('set-cookie', sessionCookie('', { maxAge: 0, secure: secure(request) }));
        return reply.code(204).send(null);
      },
    );
  };
}
