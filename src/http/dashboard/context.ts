// What the dashboard's route modules share: their dependencies, the authenticated caller of a
// request, role checks, and the OpenAPI tags and security of every route.
import type { FastifyRequest } from 'fastify';
import type { AnalyticsService } from '../../core/analytics/analytics-service.ts';
import type { DashboardAction } from '../../core/analytics/dashboard-rights.ts';
import type { MerchantService } from '../../core/merchants/merchant-service.ts';
import type { PaymentService } from '../../core/payments/payment-service.ts';
import type { RoutingIntelligence } from '../../core/routing-intelligence/routing-intelligence.ts';
import type { WebhookLog } from '../../core/webhooks/webhook-log.ts';
import type { ActorAuth } from '../auth/user-auth.ts';

/** One merchant's simulated gateways, as the dashboard uses them (a GatewaySimulator fits). */
export interface DashboardMerchantSimulator {
  hasGateway(gateway: string): boolean;
  getProfile(gateway: string): { outages: ReadonlyArray<{ id: string; startMs: number; endMs: number; mode: string }> } | undefined;
  startOutage(gateway: string, input: { durationMs?: number; mode?: 'DOWN' | 'TIMEOUT' }): { id: string; startMs: number; endMs: number; mode: string } | undefined;
  endOutage(gateway: string): number;
}

/** Every merchant's simulated gateways (the SimulatorFleet fits; app.ts passes it): the dashboard only ever asks for the caller's merchant. */
export interface DashboardSimulator {
  forMerchant(merchantId: string): DashboardMerchantSimulator;
}

export interface DashboardRoutesDeps {
  actorOf: ActorAuth;
  analytics: AnalyticsService;
  payments: Pick<PaymentService, 'refund'>;
  /** An order's webhook delivery log and re-send; absent: the dashboard's webhook routes answer 404. */
  webhookLog?: WebhookLog;
  merchants: Pick<MerchantService, 'listGatewayAccounts' | 'updateGatewayAccount'>;
  intelligence: Pick<RoutingIntelligence, 'health' | 'invalidate'>;
  /** The simulated gateways (outage injection, profiles); absent: no gateway is simulated. */
  simulator?: DashboardSimulator;
  /** What a gateway's connector declares (display name, capabilities, credential names), as GET /admin/v1/connectors shows it. */
  connectorOf?: (gateway: string) => DashboardConnectorView | undefined;
  now?: () => Date;
  log?: (message: string, fields: Record<string, unknown>) => void;
}

export interface DashboardConnectorView {
  display_name: string;
  capabilities: Record<string, unknown>;
  credentials: ReadonlyArray<{ name: string; label: string; required: boolean }>;
}

export type DashboardActor = Awaited<ReturnType<ActorAuth>>;

export interface DashboardContext extends DashboardRoutesDeps {
  /** The caller, authenticated by the plugin's preValidation hook. */
  actor(request: FastifyRequest): DashboardActor;
  /** A preValidation hook that refuses with 403 unless the caller's role may do `action`. */
  requireRight(action: DashboardAction): (request: FastifyRequest) => Promise<void>;
}

export const DASHBOARD_TAGS = ['dashboard'];
export const DASHBOARD_SECURITY: Array<Record<string, string[]>> = [{ userBearer: [] }, { basicAuth: [] }];
