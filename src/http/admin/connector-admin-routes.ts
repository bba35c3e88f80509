// The admin API's connector routes: what each connector of this build declares, and this
// instance's HTTP metrics per real gateway.
import { Type } from 'typebox';
import { NoQuery } from '../schemas.ts';
import type { AdminApp } from './admin-app.ts';
import { errors, security } from './admin-wire.ts';

export interface ConnectorAdminDeps {
  /** What each connector of this build declares: capabilities and the credentials an account needs. */
  connectors?: () => ReadonlyArray<object>;
  /** Per-gateway HTTP metrics of this instance's connector transport. */
  gatewayMetrics?: () => Record<string, object>;
}

export function registerConnectorAdminRoutes(app: AdminApp, deps: ConnectorAdminDeps): void {
  app.get(
    '/connectors',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        security,
        summary: 'The gateways this build has a connector for: gateway_id, capabilities, and the credentials an account of each needs',
        response: { 200: Type.Object({ connectors: Type.Array(Type.Object({}, { additionalProperties: true })) }), ...errors },
      },
    },
    async () => ({ connectors: [...(deps.connectors?.() ?? [])] }),
  );

  app.get(
    '/connectors/metrics',
    {
      schema: {
        querystring: NoQuery,
        tags: ['admin'],
        security,
        summary: "This instance's calls to each real gateway since it started: calls, errors (5xx, refused, cut), timeouts, retries, latency total and buckets (ms)",
        response: { 200: Type.Object({ gateways: Type.Record(Type.String(), Type.Object({}, { additionalProperties: true })) }), ...errors },
      },
    },
    async () => ({ gateways: deps.gatewayMetrics?.() ?? {} }),
  );
}
