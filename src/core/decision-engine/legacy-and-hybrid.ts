// Two more of the engine's entry points, both answered by the calls Junction already has:
// - the legacy `POST /decision_gateway` (the Groovy-era decider payload: orderReference,
//   orderMetadata, txnDetail, txnCardInfo, merchantAccount, enforceGatewayList), read into a
//   decide-gateway request and answered as `{decided_gateway: DecidedGateway, filter_list, latency}`;
// - `POST /routing/hybrid`: the active rule (`static_routing_request`, an evaluate body) and/or a
//   decision (`dynamic_routing_request`, a decide body), the decision's candidates taken from the
//   rule when the request names none, with the engine's graceful degradation to the rule's list
//   (src/routes/hybrid_routing.rs, docs/api-refs/routing-hybrid.mdx).
import { EngineInputError, teError } from './engine-wire.ts';
import { asObject, inputError, notAnObject, ok, type EngineAnswer, type EngineCaller } from './engine-access.ts';

type Json = Record<string, unknown>;
interface Connector {
  gateway_name: string;
  gateway_id: string | null;
}

export interface LegacyAndHybridCalls {
  decideGateway(caller: EngineCaller, body: unknown): Promise<EngineAnswer>;
  evaluateRouting(caller: EngineCaller, body: unknown): Promise<EngineAnswer>;
}

/** An object field of the legacy payload, required as the engine's deserializer requires it. */
function objectField(body: Json, key: string): Json {
  const value = asObject(body[key]);
  if (!value) throw new EngineInputError(key, 'is required (an object)');
  return value;
}

function integerId(o: Json, path: string): void {
  if (!Number.isInteger(o.id)) throw new EngineInputError(`${path}.id`, 'must be an integer');
}

function requirePartitionKey(o: Json, path: string): void {
  if (!('partitionKey' in o)) throw new EngineInputError(`${path}.partitionKey`, 'is required (the value may be null)');
}

const text = (o: Json, key: string): string | undefined => (typeof o[key] === 'string' && o[key] !== '' ? (o[key] as string) : undefined);

/** The legacy decider payload as a decide-gateway body (the engine's flows.rs reads the same facts). */
export function legacyToDecideBody(body: unknown): Json {
  const b = asObject(body);
  if (!b) throw new EngineInputError('body', 'must be a JSON object');
  const order = objectField(b, 'orderReference');
  const orderMetadata = objectField(b, 'orderMetadata');
  const txn = objectField(b, 'txnDetail');
  const card = objectField(b, 'txnCardInfo');
  const account = objectField(b, 'merchantAccount');
  for (const [o, path] of [
    [order, 'orderReference'],
    [orderMetadata, 'orderMetadata'],
    [txn, 'txnDetail'],
    [card, 'txnCardInfo'],
    [account, 'merchantAccount'],
  ] as const)
    integerId(o, path);
  for (const [o, path] of [
    [orderMetadata, 'orderMetadata'],
    [txn, 'txnDetail'],
    [card, 'txnCardInfo'],
  ] as const)
    requirePartitionKey(o, path);
  if (order.udfs !== undefined && !Array.isArray(order.udfs)) throw new EngineInputError('orderReference.udfs', 'must be an array');
  if (typeof account.gatewaySuccessRateBasedDeciderInput !== 'string') throw new EngineInputError('merchantAccount.gatewaySuccessRateBasedDeciderInput', 'is required (a string)');
  const merchantId = text(account, 'merchantId') ?? text(order, 'merchantId');
  if (!merchantId) throw new EngineInputError('merchantAccount.merchantId', 'is required');
  const paymentId = text(txn, 'txnUuid') ?? text(txn, 'txnId');
  if (!paymentId) throw new EngineInputError('txnDetail.txnUuid', 'is required');
  const enforce = b.enforceGatewayList;
  if (enforce !== undefined && enforce !== null && !(Array.isArray(enforce) && enforce.every((g) => typeof g === 'string')))
    throw new EngineInputError('enforceGatewayList', 'must be an array of gateway names');
  const metadata = order.metadata;
  return {
    merchantId,
    ...(Array.isArray(enforce) && enforce.length > 0 ? { eligibleGatewayList: enforce } : {}),
    rankingAlgorithm: 'SR_BASED_ROUTING',
    paymentInfo: {
      paymentId,
      amount: txn.txnAmount ?? order.amount,
      currency: text(txn, 'currency') ?? text(order, 'currency'),
      paymentType: text(order, 'orderType') ?? text(txn, 'txnObjectType') ?? 'ORDER_PAYMENT',
      paymentMethodType: text(card, 'paymentMethodType'),
      paymentMethod: text(card, 'paymentMethod'),
      ...(text(card, 'authType') ? { authType: card.authType } : {}),
      ...(text(card, 'cardIsin') ? { cardIsin: card.cardIsin } : {}),
      ...(text(card, 'cardType') ? { cardType: card.cardType } : {}),
      ...(text(card, 'cardSwitchProvider') ? { cardSwitchProvider: card.cardSwitchProvider } : {}),
      ...(text(card, 'cardIssuerBankName') ? { cardIssuerBankName: card.cardIssuerBankName } : {}),
      ...(text(order, 'customerId') ? { customerId: order.customerId } : {}),
      ...(text(order, 'preferredGateway') ? { preferredGateway: order.preferredGateway } : {}),
      ...(Array.isArray(order.udfs) ? { udfs: order.udfs.map((u) => (typeof u === 'string' ? u : null)) } : {}),
      ...(typeof metadata === 'string' ? { metadata } : asObject(metadata) ? { metadata: JSON.stringify(metadata) } : {}),
    },
  };
}

/** "stripe:mca_1" as the engine's connector {gateway_name, gateway_id}. */
function connectorOfName(name: string): Connector {
  const at = name.indexOf(':');
  return at < 0 ? { gateway_name: name, gateway_id: null } : { gateway_name: name.slice(0, at), gateway_id: name.slice(at + 1) };
}

const connectorList = (v: unknown): Connector[] | null =>
  Array.isArray(v)
    ? v.filter((c): c is Connector => typeof asObject(c)?.gateway_name === 'string').map((c) => ({ gateway_name: c.gateway_name, gateway_id: typeof c.gateway_id === 'string' ? c.gateway_id : null }))
    : null;

export function legacyAndHybridCalls(calls: LegacyAndHybridCalls) {
  return {
    async legacyDecisionGateway(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      let decideBody: Json;
      try {
        decideBody = legacyToDecideBody(body);
      } catch (e) {
        if (e instanceof EngineInputError) return inputError(e);
        throw e;
      }
      const decided = await calls.decideGateway(caller, decideBody);
      if (decided.status !== 200) return decided;
      const gateway = decided.body as Json;
      return ok({ decided_gateway: gateway, filter_list: [], latency: typeof gateway.latency === 'number' ? gateway.latency : null });
    },

    async hybridRouting(caller: EngineCaller, body: unknown): Promise<EngineAnswer> {
      const b = asObject(body);
      if (!b) return notAnObject;
      const staticRequest = b.static_routing_request ?? null;
      const dynamicRequest = b.dynamic_routing_request ?? null;
      if (staticRequest === null && dynamicRequest === null) return { status: 400, body: teError('At least one of static_routing_request or dynamic_routing_request must be provided.') };
      const out: Json = {};
      let staticAnswer: EngineAnswer | null = null;
      let staticList: Connector[] | null = null;
      if (staticRequest !== null) {
        staticAnswer = await calls.evaluateRouting(caller, staticRequest);
        if (staticAnswer.status === 200) {
          out.static_routing = staticAnswer.body;
          staticList = connectorList((staticAnswer.body as Json).evaluated_output);
        }
      }
      // The rule's chosen list, else its fallback_output, stands in for the decision's candidates.
      const fallback = staticList ?? connectorList(asObject(staticRequest)?.fallback_output);
      if (dynamicRequest !== null) {
        const d = asObject(dynamicRequest);
        const named = Array.isArray(d?.eligibleGatewayList) && d.eligibleGatewayList.length > 0;
        const request = d && !named && fallback ? { ...d, eligibleGatewayList: fallback.map((c) => c.gateway_name) } : dynamicRequest;
        const decided = await calls.decideGateway(caller, request);
        if (decided.status === 200) {
          const decision = decided.body as Json;
          return ok({ ...out, dynamic_routing: { status: 'success', decision, fallback_connectors: null }, evaluated_connectors: [connectorOfName(String(decision.decided_gateway))] });
        }
        if (!fallback) return decided;
        return ok({ ...out, dynamic_routing: { status: 'fallback', decision: null, fallback_connectors: fallback }, evaluated_connectors: fallback });
      }
      if (staticList) return ok({ ...out, evaluated_connectors: staticList });
      if (fallback) return ok({ ...out, evaluated_connectors: fallback });
      return staticAnswer && staticAnswer.status !== 200 ? staticAnswer : ok(out);
    },
  };
}
