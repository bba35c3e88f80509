// The simulator API's request schemas: profiles, profile patches, outages, scopes, bank page results.
import { Type } from 'typebox';
import { PAYMENT_METHOD_TYPES } from '../../core/payment-methods.ts';

const Probability = Type.Number({ minimum: 0, maximum: 1 });
const ProbabilityTable = Type.Record(Type.String(), Probability);
const PaymentMethodTypeSchema = Type.Union(PAYMENT_METHOD_TYPES.map((value) => Type.Literal(value)));
const OverridesSchema = Type.Object({
  paymentMethodType: Type.Optional(ProbabilityTable),
  paymentMethod: Type.Optional(ProbabilityTable),
  cardBrand: Type.Optional(ProbabilityTable),
  issuer: Type.Optional(ProbabilityTable),
});
const LatencySchema = Type.Object({ fixedMs: Type.Number({ minimum: 0 }), jitterMs: Type.Number({ minimum: 0 }) });
const FailureMixSchema = Type.Object({
  HARD_DECLINE: Type.Optional(Type.Number({ minimum: 0 })),
  SOFT_DECLINE: Type.Optional(Type.Number({ minimum: 0 })),
  TECHNICAL_ERROR: Type.Optional(Type.Number({ minimum: 0 })),
  TIMEOUT: Type.Optional(Type.Number({ minimum: 0 })),
});
/** What an outage covers (every payment when neither is given) and how the gateway behaves in it. */
const OutageScope = {
  paymentMethodType: Type.Optional(PaymentMethodTypeSchema),
  issuer: Type.Optional(Type.String({ minLength: 1 })),
  mode: Type.Optional(Type.Union([Type.Literal('DOWN'), Type.Literal('TIMEOUT')])),
};
const OutageSchema = Type.Object({
  id: Type.Optional(Type.String()),
  startMs: Type.Number({ minimum: 0 }),
  endMs: Type.Number({ minimum: 0 }),
  ...OutageScope,
});
/** The fields a profile may leave out, and a patch too. */
const OptionalProfileFields = {
  overrides: Type.Optional(OverridesSchema),
  timeoutChargedProbability: Type.Optional(Probability),
  outages: Type.Optional(Type.Array(OutageSchema)),
  pendingProbability: Type.Optional(Probability),
  settleAfterMs: Type.Optional(Type.Number({ minimum: 0 })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
};
export const SimulatorProfileSchema = Type.Object(
  { baseSuccessRate: Probability, latency: LatencySchema, failureMix: FailureMixSchema, ...OptionalProfileFields },
  { description: 'A simulated gateway profile' },
);
export const ProfilePatchSchema = Type.Object({
  baseSuccessRate: Type.Optional(Probability),
  latency: Type.Optional(Type.Partial(LatencySchema)),
  failureMix: Type.Optional(FailureMixSchema),
  ...OptionalProfileFields,
});
export const GatewayParams = Type.Object({ gateway: Type.String({ minLength: 1, maxLength: 64 }) });
// Gateway ids are letters, digits, '_' and '-': anything else cannot exist, and never reaches the database.
export const TxnParams = Type.Object({ gatewayTxnId: Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_-]+$' }) });
export const OutageBody = Type.Object({
  durationMs: Type.Optional(Type.Integer({ minimum: 1 })),
  until: Type.Optional(Type.Union([Type.Integer({ minimum: 0 }), Type.String({ minLength: 1 })], { description: 'End: epoch ms or an ISO-8601 date' })),
  ...OutageScope,
});
export const ScopeQuery = Type.Object({
  merchant_id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[A-Za-z0-9_]+$',
      description: "Whose simulated gateways: required with the admin key; with a merchant's key, absent or that merchant's own id",
    }),
  ),
});
export const ADMIN_OR_MERCHANT: Array<Record<string, string[]>> = [{ adminBearer: [] }, { basicAuth: [] }, { userBearer: [] }];
export const BankResultBody = Type.Object({ result: Type.Union([Type.Literal('success'), Type.Literal('failure')]) });
