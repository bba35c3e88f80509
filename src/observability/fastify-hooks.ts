// The HTTP side of observability: a latency histogram per route pattern and status, a server span
// per request (the handler runs inside it, so routing, connector and database spans are its
// children), the /metrics handler with its bearer token, and the separate metrics listener.
import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import { AppError } from '../core/errors.ts';
import { constantTimeEqual, sha256Hex } from '../core/crypto.ts';
import type { Metrics, MetricsRecorder } from './metrics.ts';
import type { Tracing } from './tracing.ts';

const REQUEST_SPAN = Symbol('junction.requestSpan');
type Traced = FastifyRequest & { [REQUEST_SPAN]?: ReturnType<Tracing['startRequestSpan']> };

/** The route pattern ('/orders/:order_id'), never the URL: ids stay out of labels. */
function routeOf(request: FastifyRequest): string {
  return request.routeOptions?.url ?? 'UNMATCHED';
}

/** Call before any route is registered: the handler wrapper is added as routes are declared. */
export function registerRequestObservability(app: FastifyInstance, deps: { metrics: MetricsRecorder; tracing: Tracing }): void {
  const { metrics, tracing } = deps;
  if (tracing.enabled) {
    app.addHook('onRoute', (route) => {
      const handler = route.handler as RouteHandlerMethod;
      route.handler = function tracedHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
        const traced = (request as Traced)[REQUEST_SPAN];
        return traced ? traced.run(() => handler.call(this, request, reply)) : handler.call(this, request, reply);
      } as RouteHandlerMethod;
    });
    app.addHook('onRequest', async (request) => {
      const route = routeOf(request);
      (request as Traced)[REQUEST_SPAN] = tracing.startRequestSpan(
        `${request.method} ${route}`,
        {
          'http.request.method': request.method,
          'http.route': route,
          'url.scheme': request.protocol,
          'junction.request_id': request.id,
        },
        request.headers.traceparent,
      );
    });
  }
  if (!metrics.enabled && !tracing.enabled) return;
  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    metrics.httpRequest(request.method, route, reply.statusCode, reply.elapsedTime / 1000);
    const traced = (request as Traced)[REQUEST_SPAN];
    if (traced) {
      traced.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) traced.span.setStatus({ code: 2 });
      traced.span.end();
    }
  });
}

export function tokenMatches(header: string | undefined, token: string): boolean {
  if (typeof header !== 'string') return false;
  const match = /^Bearer\s+(.+)$/i.exec(header.trim());
  return Boolean(match?.[1]) && constantTimeEqual(sha256Hex(match![1]!), sha256Hex(token));
}

/** GET /metrics on the service's own port: only with the token. */
export function metricsHandler(metrics: Metrics, token: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!tokenMatches(request.headers.authorization, token)) throw new AppError('UNAUTHENTICATED', 'Invalid or missing metrics token (Authorization: Bearer <METRICS_TOKEN>)');
    const text = await metrics.render();
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(text);
  };
}

/** A listener of its own for /metrics (METRICS_PORT); the token is required there too when set. */
export async function startMetricsServer(options: { metrics: Metrics; port: number; host: string; token?: string | undefined }): Promise<{ server: Server; port: number; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method !== 'GET' || path !== '/metrics') {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    if (options.token && !tokenMatches(request.headers.authorization, options.token)) {
      response.writeHead(401, { 'content-type': 'text/plain', 'www-authenticate': 'Bearer' }).end('missing or invalid metrics token\n');
      return;
    }
    options.metrics.render().then(
      (text) => response.writeHead(200, { 'content-type': options.metrics.contentType, 'cache-control': 'no-store' }).end(text),
      () => response.writeHead(500, { 'content-type': 'text/plain' }).end('metrics failed\n'),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address();
  const port = address && typeof address === 'object' ? address.port : options.port;
  return {
    server,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
