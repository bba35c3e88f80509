// The Priority Logic tables' rows (snake_case, ending in Row) -> domain objects.
import type { UserRecord } from '../core/ports/priority-logic-store.ts';
import type { AuditEntry, LogicDefinition, LogicKind, PriorityLogic, PriorityLogicStatus, RoutingConfig, UserRole } from '../core/priority-logic/types.ts';
import { toDate, toDateOrNull } from './sql-values.ts';

export interface UserRow {
  id: string;
  merchant_id: string;
  email: string;
  name: string;
  role: string;
  token_hash: string;
  created_at: Date | string;
  disabled_at: Date | string | null;
}

export interface LogicRow {
  id: string;
  merchant_id: string;
  name: string;
  description: string | null;
  kind: string;
  version: number;
  definition: LogicDefinition;
  status: string;
  approved_by: string | null;
  approved_at: Date | string | null;
  created_by: string;
  copied_from: string | null;
  row_version: number;
  created_at: Date | string;
  updated_at: Date | string;
  deleted_at: Date | string | null;
}

export interface RoutingRow {
  merchant_id: string;
  active_logic_id: string | null;
  fallback_logic_id: string | null;
  staggered_logic_id: string | null;
  stagger_percentage: string | number | null;
  version: number;
  updated_at: Date | string;
}

export interface AuditRow {
  id: string;
  merchant_id: string;
  logic_id: string | null;
  actor_id: string;
  actor_role: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  request_id: string | null;
  created_at: Date | string;
  actor_email?: string | null;
}

export function userFromRow(r: UserRow): UserRecord {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    email: r.email,
    name: r.name,
    role: r.role as UserRole,
    tokenHash: r.token_hash,
    createdAt: toDate(r.created_at),
    disabledAt: toDateOrNull(r.disabled_at),
  };
}

export function logicFromRow(r: LogicRow): PriorityLogic {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    name: r.name,
    description: r.description,
    kind: r.kind as LogicKind,
    version: r.version,
    definition: r.definition,
    status: r.status as PriorityLogicStatus,
    approvedBy: r.approved_by,
    approvedAt: toDateOrNull(r.approved_at),
    createdBy: r.created_by,
    copiedFrom: r.copied_from,
    rowVersion: r.row_version,
    createdAt: toDate(r.created_at),
    updatedAt: toDate(r.updated_at),
    deletedAt: toDateOrNull(r.deleted_at),
  };
}

export function routingFromRow(r: RoutingRow): RoutingConfig {
  return {
    merchantId: r.merchant_id,
    activeLogicId: r.active_logic_id,
    fallbackLogicId: r.fallback_logic_id,
    staggeredLogicId: r.staggered_logic_id,
    staggerPercentage: r.stagger_percentage === null ? null : Number(r.stagger_percentage),
    version: r.version,
    updatedAt: toDate(r.updated_at),
  };
}

export function auditFromRow(r: AuditRow): AuditEntry {
  return {
    id: r.id,
    merchantId: r.merchant_id,
    logicId: r.logic_id,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    before: r.before,
    after: r.after,
    requestId: r.request_id,
    createdAt: toDate(r.created_at),
    actorEmail: r.actor_email ?? null,
  };
}
