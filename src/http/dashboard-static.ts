// Serves the built dashboard (React + Vite, `npm run build:dashboard`) under /dashboard. Hashed
// assets are cached for a year; index.html never, so a new build shows at once. Any other
// /dashboard/* path answers index.html: the dashboard routes in the browser.
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // CodeMirror and React set inline styles.
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

function securityHeaders(reply: FastifyReply): void {
  reply.header('content-security-policy', CSP);
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'same-origin');
  reply.header('x-frame-options', 'DENY');
}

export async function registerDashboard(app: FastifyInstance, staticDir: string): Promise<void> {
  const root = resolve(staticDir);
  const indexPath = resolve(root, 'index.html');
  const built = existsSync(indexPath);
  let index: string | null = null;
  const indexHtml = () => (index ??= readFileSync(indexPath, 'utf8'));

  const sendIndex = (reply: FastifyReply) => {
    securityHeaders(reply);
    if (!built) {
      return reply.code(503).type('text/plain; charset=utf-8').send('The dashboard is not built: run `npm run build:dashboard` (npm install does it).\n');
    }
    return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(indexHtml());
  };

  app.get('/dashboard', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/dashboard/'));
  if (built) {
    await app.register(fastifyStatic, {
      root,
      prefix: '/dashboard/',
      index: false,
      wildcard: false,
      decorateReply: false,
      serveDotFiles: false,
      setHeaders(res, path) {
        res.setHeader('x-content-type-options', 'nosniff');
        res.setHeader('cache-control', path.includes(`${resolve(root, 'assets')}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
  }
  app.get('/dashboard/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  app.get('/dashboard/*', { schema: { hide: true } }, async (request, reply) => {
    if ((request.params as { '*': string })['*'].startsWith('assets/')) return reply.code(404).send({ status: 'Not Found', error_code: 'invalid_request_error', error_message: 'No such file' });
    return sendIndex(reply);
  });
}
