// Every route declares what it reads (issue 10): path parameters, the query string (reads: GET and
// DELETE) and the body (writes: POST, PUT, PATCH), each as a TypeBox schema that Fastify validates and the type provider types, so that no handler reads
// `request.params` or `request.body` unchecked. The rule is checked on every route as it is
// registered (an onRoute hook) and asserted by test/api/route-schemas.test.ts, so a new route
// cannot forget it. Routes hidden from the API (static files, docs) are exempt.
import type { FastifyInstance, RouteOptions } from 'fastify';

export interface RouteSchemaProblem {
  route: string;
  missing: Array<'params' | 'querystring' | 'body'>;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
/** Reads whose options live in the query string; writes carry theirs in the body. */
const QUERY_METHODS = new Set(['GET', 'DELETE']);

function methodsOf(route: RouteOptions): string[] {
  return (Array.isArray(route.method) ? route.method : [route.method]).map((m) => String(m).toUpperCase()).filter((m) => m !== 'HEAD' && m !== 'OPTIONS');
}

/** What a route should declare and does not. */
export function auditRoute(route: RouteOptions): RouteSchemaProblem | null {
  const schema = (route.schema ?? {}) as { hide?: boolean; params?: unknown; querystring?: unknown; body?: unknown };
  const methods = methodsOf(route);
  if (schema.hide === true || methods.length === 0) return null;
  const missing: RouteSchemaProblem['missing'] = [];
  if (/[:*]/.test(route.url) && schema.params === undefined) missing.push('params');
  if (methods.some((m) => QUERY_METHODS.has(m)) && schema.querystring === undefined) missing.push('querystring');
  if (methods.some((m) => BODY_METHODS.has(m)) && schema.body === undefined) missing.push('body');
  return missing.length > 0 ? { route: `${methodsOf(route).join(',')} ${route.url}`, missing } : null;
}

/** Collects the problems of every route registered after this call. */
export function registerRouteSchemaAudit(app: FastifyInstance): { problems(): RouteSchemaProblem[] } {
  const found: RouteSchemaProblem[] = [];
  app.addHook('onRoute', (route) => {
    const problem = auditRoute(route);
    if (problem) found.push(problem);
  });
  return { problems: () => [...found] };
}
