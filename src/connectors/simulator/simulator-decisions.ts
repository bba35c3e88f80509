// What a simulated gateway decides about a payment: its own validation of the request, the final
// status a drawn outcome becomes, the UPI intent it hands out, and the seeded random streams
// each gateway draws from.
import type { AuthorizeRequest } from '../../core/ports/connector.ts';
import { createRng, type DrawnOutcome, type Rng, type SimulatorProfile } from './simulator-profile.ts';
import { SIMULATOR_DRAWN_FAILURE_CODES, cardExpired, formatMinorUnits, luhnValid, type SimulatorPaymentStatus } from './transformers.ts';
import type { LedgerPayment } from './simulator-ledger.ts';

/** The three-number card test conventions, documented in docs/connectors/simulator.md. */
const CVV_MISMATCH_TRIGGER = '000';

export interface GatewayState {
  profile: SimulatorProfile;
  /** Outcome draws: exactly three numbers per draw (see drawOutcome). */
  outcomeRng: Rng;
  /** Latency, pending coin flips and the like, apart so they never shift outcome draws. */
  auxRng: Rng;
}

function mixSeed(profileSeed: number, globalSeed: number, stream: number): number {
  let h = (profileSeed ^ Math.imul(globalSeed, 0x9e3779b1) ^ Math.imul(stream, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}

/** A gateway's state with its random streams started from the profile's seed mixed with the simulator's. */
export function freshGatewayState(profile: SimulatorProfile, globalSeed: number): GatewayState {
  return {
    profile,
    outcomeRng: createRng(mixSeed(profile.seed, globalSeed, 1)),
    auxRng: createRng(mixSeed(profile.seed, globalSeed, 2)),
  };
}

/** The gateway's own validation of the request: the failure code, or null when it passes. */
export function validationCode(request: AuthorizeRequest, nowMs: number): string | null {
  if (!Number.isInteger(request.amount) || request.amount <= 0) return '13';
  if (request.card) {
    if (!luhnValid(request.card.number)) return '14';
    if (cardExpired(request.card.expMonth, request.card.expYear, nowMs)) return '54';
    if (request.card.cvv === CVV_MISMATCH_TRIGGER) return 'N7';
  }
  if (request.paymentMethodType === 'UPI' && request.upi?.txnType === 'UPI_COLLECT' && !request.upi.vpa) return '30';
  return null;
}

export function upiIntentUri(payment: LedgerPayment): string {
  const params = new URLSearchParams({
    pa: `${payment.gateway.toLowerCase()}@simbank`,
    pn: payment.merchantId,
    tr: payment.gatewayTxnId,
    // A simulated merchant category code (5399: miscellaneous general merchandise).
    mc: '5399',
    am: formatMinorUnits(payment.amount, payment.currency),
    cu: payment.currency,
    tn: `Payment ${payment.txnId}`,
  });
  return `upi://pay?${params.toString()}`;
}

/** The status and code a drawn outcome gives this payment. */
export function finalOf(payment: LedgerPayment, drawn: DrawnOutcome): { status: SimulatorPaymentStatus; code: string } {
  const success = (): { status: SimulatorPaymentStatus; code: string } => ({ status: payment.captureMode === 'AUTO' ? 'CHARGED' : 'AUTHORIZED', code: '00' });
  switch (drawn.result) {
    case 'SUCCESS':
      return success();
    case 'FAILURE': {
      const codes = SIMULATOR_DRAWN_FAILURE_CODES[drawn.kind];
      return { status: 'FAILED', code: codes[Math.min(codes.length - 1, Math.floor(drawn.u * codes.length))] };
    }
    case 'TIMEOUT':
      return drawn.charged ? success() : { status: 'FAILED', code: '96' };
    case 'OUTAGE':
      return { status: 'FAILED', code: 'GW_DOWN' };
  }
}
