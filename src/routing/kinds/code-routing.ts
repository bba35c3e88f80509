// Code-based routing: merchant JavaScript run by an injected CodeEvaluator (the sandbox). The
// engine builds the read-only `order`, `txn` and `payment` objects of Juspay's contract.

import { UDF_KEYS, type CodeLogic, type CompiledLogic, type GatewayRef, type RoutingPayment } from '../types.ts';
import { isAsyncCodeEvaluator, type AsyncCodeEvaluator, type CodeEvaluationInput, type CodeEvaluationResult, type CodeEvaluator, type CompiledCode } from './code-evaluator.ts';
import type { LogicEvaluation } from '../types.ts';

export function buildCodeInput(p: RoutingPayment): CodeEvaluationInput {
  const order: Record<string, unknown> = {
    orderId: p.orderId,
    amount: p.amount,
    currency: p.currency,
    customerId: p.customerId,
    productId: p.productId,
    description: p.description,
    preferredGateway: p.preferredGateway,
    metadata: { ...p.metadata },
    billingCountry: p.billingCountry,
    shippingCountry: p.shippingCountry,
  };
  for (const k of UDF_KEYS) order[k] = p.udf[k] ?? null;
  const txn: Record<string, unknown> = {
    txnId: p.txnId,
    isEmi: p.emi?.isEmi ?? false,
    emiBank: p.emi?.bank ?? null,
    emiTenure: p.emi?.tenure ?? null,
    addToLocker: p.addToLocker,
    platform: p.platform,
  };
  const payment: Record<string, unknown> = {
    cardBin: p.card?.bin ?? null,
    extendedCardBin: p.card?.extendedBin ?? null,
    cardBrand: p.card?.brand ?? null,
    cardIssuer: p.card?.issuer ?? null,
    cardType: p.card?.type ?? null,
    cardSubType: p.card?.subType ?? null,
    cardIssuerCountry: p.card?.issuerCountry ?? null,
    paymentMethod: p.paymentMethod,
    paymentMethodType: p.paymentMethodType,
    authType: p.authType,
    upiApp: p.upi?.app ?? null,
    upiTxnType: p.upi?.txnType ?? null,
    wallet: p.wallet,
    bank: p.bank,
    isDomestic: p.isDomestic ?? null,
  };
  return { order, txn, payment, currentTimeMillis: p.nowMillis };
}

/** The engine's reading of a sandbox answer: a non-empty list of names, with reference ids attached. */
function toLogicEvaluation(logic: CodeLogic, r: CodeEvaluationResult): LogicEvaluation {
  if (!r.ok) return { ok: false, reason: r.reason, message: r.message };
  if (!Array.isArray(r.gateways) || r.gateways.some((g) => typeof g !== 'string')) {
    return { ok: false, reason: 'GATEWAY_NAME_PARSE_FAILURE', message: 'the code did not produce a list of gateway names' };
  }
  if (r.gateways.length === 0) return { ok: false, reason: 'PL_EVALUATION_FAILED', message: 'the code set no gateway priority' };
  const refs = r.gatewayReferenceIds ?? {};
  const gateways: GatewayRef[] = r.gateways.map((g) => (Object.hasOwn(refs, g) ? { gateway: g, gatewayReferenceId: refs[g] } : { gateway: g }));
  return { ok: true, gateways, enforced: logic.enforce || r.enforced, outcome: 'CODE_EVALUATED' };
}

export function compileCodeLogic(logic: CodeLogic, evaluator: CodeEvaluator | AsyncCodeEvaluator | undefined): CompiledLogic {
  const base = { kind: 'CODE' as const, name: logic.name, enforce: logic.enforce, defaultGateways: logic.defaultGateways, source: logic };
  if (!evaluator) {
    const message = 'no code evaluator configured';
    return { ...base, compileErrors: [message], evaluate: () => ({ ok: false, reason: 'COMPILATION_ERROR', message }), dispose() {} };
  }
  if (isAsyncCodeEvaluator(evaluator)) {
    const program = evaluator.load(logic.code);
    return {
      ...base,
      compileErrors: [],
      evaluate: () => ({ ok: false, reason: 'PL_EVALUATION_FAILED', message: 'code runs in the sandbox pool: decide with decideAsync' }),
      async evaluateAsync(p) {
        return toLogicEvaluation(logic, await program.evaluate(buildCodeInput(p), { tenant: p.merchantId, lane: p.dryRun === true ? 'edit' : 'payment' }));
      },
      dispose() {
        program.dispose();
      },
    };
  }
  const compiled = evaluator.compile(logic.code);
  if (!compiled.ok) {
    const where = compiled.line !== undefined ? ` (line ${compiled.line}${compiled.column !== undefined ? `, column ${compiled.column}` : ''})` : '';
    const message = `${compiled.message}${where}`;
    const reason = compiled.reason;
    return { ...base, compileErrors: [message], evaluate: () => ({ ok: false, reason, message }), dispose() {} };
  }
  const program: CompiledCode = compiled.program;
  return {
    ...base,
    compileErrors: [],
    evaluate: (p) => toLogicEvaluation(logic, program.evaluate(buildCodeInput(p))),
    dispose() {
      program.dispose();
    },
  };
}
