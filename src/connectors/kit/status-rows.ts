// The rows of a gateway status table (a gateway's raw codes -> our meaning), built the same way for
// every connector: the unified code's message and category come from the one registry
// (unified-errors.ts), the connector says how the failure counts.
import type { FailureClass, GatewayStatusEntry } from '../../core/ports/connector.ts';
import { UNIFIED_ERRORS, type UnifiedErrorCode } from '../unified-errors.ts';

export function statusRow(message: string, unified: UnifiedErrorCode, failureClass: FailureClass, retryable: boolean, countsAgainstGateway: boolean): GatewayStatusEntry {
  const definition = UNIFIED_ERRORS[unified];
  return { message, unifiedCode: unified, unifiedMessage: definition.message, category: definition.category, failureClass, retryable, countsAgainstGateway };
}

/** The shopper or the issuer said no for good: not retried elsewhere, never the gateway's fault. */
export const hardDecline = (message: string, unified: UnifiedErrorCode): GatewayStatusEntry => statusRow(message, unified, 'HARD_DECLINE', false, false);
/** The issuer or the shopper could not take it now: another attempt may succeed; never the gateway's fault. */
export const softDecline = (message: string, unified: UnifiedErrorCode): GatewayStatusEntry => statusRow(message, unified, 'SOFT_DECLINE', true, false);
