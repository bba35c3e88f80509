// The Priority Logic API (/v1/priority-logics): list, view, create, copy, delete, import and
// export, full and staggered release, promote, revoke, deactivate, fallback, approval, audit,
// dry run and metrics. Users authenticate with a bearer token; the API key acts as a system
// admin. Every change takes the version the caller saw (body `version` or If-Match).
// The routes live in groups (lifecycle, release, dry run, reports, history); this plugin
// registers them in the order of the OpenAPI document.
import multipart from '@fastify/multipart';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { PriorityLogicService } from '../../core/priority-logic/priority-logic-service.ts';
import type { ActorAuth } from '../auth/user-auth.ts';
import { registerLogicDryRunRoutes } from './logic-dry-run-routes.ts';
import { registerLogicHistoryRoutes } from './logic-history-routes.ts';
import { registerLogicCollectionRoutes, registerLogicImportRoute, registerLogicItemRoutes } from './logic-lifecycle-routes.ts';
import { registerFallbackUnsetRoute, registerLogicReleaseRoutes } from './logic-release-routes.ts';
import { registerLogicReportRoutes } from './logic-report-routes.ts';

export interface PriorityLogicRoutesDeps {
  service: PriorityLogicService;
  actorOf: ActorAuth;
  /** Largest imported file. */
  maxImportBytes?: number;
}

export function priorityLogicRoutes(deps: PriorityLogicRoutesDeps): FastifyPluginAsyncTypebox {
  const context = { service: deps.service, actorOf: deps.actorOf };
  return async (app) => {
    // Import takes a file upload too; the parser lives in this plugin only.
    await app.register(multipart, { limits: { fileSize: deps.maxImportBytes ?? 256 * 1024, files: 1, fields: 10 } });
    // Action bodies are optional (If-Match may carry the version).
    app.addHook('preValidation', async (request) => {
      if ((request.method === 'POST' || request.method === 'DELETE') && (request.body === undefined || request.body === null) && !request.isMultipart()) request.body = {};
    });
    registerLogicCollectionRoutes(app, context);
    registerLogicReportRoutes(app, context);
    registerLogicImportRoute(app, context);
    registerLogicDryRunRoutes(app, context);
    registerFallbackUnsetRoute(app, context);
    registerLogicItemRoutes(app, context);
    registerLogicReleaseRoutes(app, context);
    registerLogicHistoryRoutes(app, context);
  };
}
