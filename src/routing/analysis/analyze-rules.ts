// Rule analysis of a rule-based logic: mistakes a merchant would want to hear about before a rule
// costs anything. Warnings, never errors (the validator's errors stay as they are):
//
// - RULE_NEVER_MATCHES: no payment satisfies the rule's conditions (contradictory conditions, or
//   values that cannot occur: an amount below 1, a BIN range that is empty, ...);
// - RULE_SHADOWED: every payment it matches is taken by earlier rules (first match wins);
// - RULES_OVERLAP: an earlier rule with a different output matches some of the same payments (the
//   earlier one wins for them), with one such payment as witness;
// - GATEWAY_NEVER_USABLE: a gateway of the rule's output cannot take any payment the rule routes
//   (its accounts do not support their payment method type, method, card brand or currency);
// - ENFORCED_NO_GATEWAY: with enforce on, some payments of a rule (or of the default gateways when no
//   rule matches) have no eligible gateway in the output, with a witness.
//
// Exact over the engine's semantics: value-classes.ts cuts every dimension into classes on which
// each leaf is constant (and asks the reference interpreter which classes a leaf accepts); region.ts
// does the set algebra. Dimensions are otherwise independent, except that a card's fields are
// absent exactly when there is no card. So "never matches" and "shadowed" are never wrong (no real
// payment can match); an overlap or a missing gateway comes with a witness payment that the
// interpreter confirms, though it may combine fields real payments do not (a UPI app on a card).

import { accountIneligibility } from '../eligibility.ts';
import { isCatchAllCondition } from '../validate.ts';
import type { Condition, GatewayAccount, GatewayRef, LeafCondition, RoutingPayment, Rule, RuleOutput, RulesLogic } from '../types.ts';
import { evaluateLeaf } from '../kinds/rules/interpret-rules.ts';
import { buildClassSpace, CARD_DIMENSIONS, type ClassSpace, type ClassValue } from './value-classes.ts';
import { basePayment, writeOrder, writeValue } from './class-payment.ts';
import { fullBox, fullMask, intersect, isEmpty, pointOf, subtract, TooComplex, type Region } from './region.ts';

export type RuleWarningCode = 'RULE_NEVER_MATCHES' | 'RULE_SHADOWED' | 'RULES_OVERLAP' | 'GATEWAY_NEVER_USABLE' | 'ENFORCED_NO_GATEWAY';

/** One field of a witness payment: the dimension, the value written, and its class in words. */
export interface WitnessField {
  dimension: string;
  value: ClassValue;
  description: string;
}

export interface RuleWarning {
  code: RuleWarningCode;
  /** Index of the rule the warning is about; null for the default gateways (no rule matched). */
  rule: number | null;
  ruleName: string | null;
  message: string;
  /** The earlier rule (RULE_SHADOWED: the first that takes part of it; RULES_OVERLAP: the one that wins). */
  otherRule?: number;
  gateway?: string;
  /** A payment showing the problem (overlap, missing gateway), as the fields that matter. */
  witness?: WitnessField[];
  /** The same payment as the engine sees it (tests replay it through the interpreter). */
  witnessPayment?: RoutingPayment;
}

export interface RuleAnalysis {
  /** False when the logic was too large to analyse exactly (then there are no warnings). */
  analysed: boolean;
  warnings: RuleWarning[];
  /** Per rule, a payment the rule is the first match for (null when it can never be). */
  examples: (RoutingPayment | null)[];
}

interface Context {
  space: ClassSpace;
  sizes: number[];
  accounts: readonly GatewayAccount[];
  /** A payment with a card, every other analysed field at its first class. */
  cardBase: RoutingPayment;
}

function leafRegion(ctx: Context, leaf: LeafCondition): Region {
  const dim = ctx.space.index.get(leaf.dimension);
  if (dim === undefined) return []; // unknown dimension: the interpreter never matches it
  const classes = ctx.space.dimensions[dim];
  const currencyDim = ctx.space.index.get('currency');
  const pinned = leaf.dimension === 'amount' && currencyDim !== undefined && (Array.isArray(leaf.value) ? leaf.value : [leaf.value]).some((v) => typeof v === 'object' && v !== null);
  const maskFor = (p: RoutingPayment): bigint => {
    let mask = 0n;
    for (let c = 0; c < classes.values.length; c++) {
      const q: RoutingPayment = { ...p, card: p.card ? { ...p.card } : null };
      writeValue(q, leaf.dimension, classes.values[c]);
      if (evaluateLeaf(leaf, q).result) mask |= 1n << BigInt(c);
    }
    return mask;
  };
  if (!pinned) {
    const mask = maskFor(ctx.cardBase);
    if (mask === 0n) return [];
    const box = fullBox(ctx.sizes);
    box[dim] = mask;
    return [box];
  }
  // An amount pinned to a currency compares only in that currency: one box per answer pattern.
  const currencies = ctx.space.dimensions[currencyDim!];
  const byMask = new Map<bigint, bigint>();
  for (let c = 0; c < currencies.values.length; c++) {
    const p = { ...ctx.cardBase };
    writeValue(p, 'currency', currencies.values[c]);
    const mask = maskFor(p);
    if (mask !== 0n) byMask.set(mask, (byMask.get(mask) ?? 0n) | (1n << BigInt(c)));
  }
  return [...byMask].map(([amounts, currencySet]) => {
    const box = fullBox(ctx.sizes);
    box[dim] = amounts;
    box[currencyDim!] = currencySet;
    return box;
  });
}

function conditionRegion(ctx: Context, c: Condition): Region {
  if ('dimension' in c) return leafRegion(ctx, c);
  if ('all' in c) {
    let r: Region = [fullBox(ctx.sizes)];
    for (const child of c.all) {
      r = intersect(r, conditionRegion(ctx, child));
      if (r.length === 0) break;
    }
    return r;
  }
  const out: Region = [];
  for (const child of c.any) out.push(...conditionRegion(ctx, child));
  return out;
}

/** The payments that exist: a card's fields are absent exactly when there is no card. */
function universe(ctx: Context): Region {
  const cardDim = ctx.space.index.get('card_bin');
  if (cardDim === undefined) return [fullBox(ctx.sizes)];
  const noCard = fullBox(ctx.sizes);
  noCard[cardDim] = 1n; // class 0 of card_bin is "no card"
  for (const d of ctx.space.dimensions) {
    if (!CARD_DIMENSIONS.has(d.name)) continue;
    const i = ctx.space.index.get(d.name)!;
    noCard[i] = 1n << BigInt(d.values.indexOf(null));
  }
  const withCard = fullBox(ctx.sizes);
  withCard[cardDim] = fullMask(ctx.sizes[cardDim]) & ~1n;
  return [noCard, withCard];
}

/** The payments one of the gateway's accounts can take (eligibility's rules, per class). */
function gatewayRegion(ctx: Context, g: GatewayRef): Region {
  const out: Region = [];
  const cardDim = ctx.space.index.get('card_bin');
  for (const a of ctx.accounts) {
    if (a.gateway !== g.gateway || !a.enabled) continue;
    if (g.gatewayReferenceId != null && a.gatewayReferenceId !== g.gatewayReferenceId) continue;
    const box = fullBox(ctx.sizes);
    const restrict = (dimension: string, write: (p: RoutingPayment, v: ClassValue) => void): void => {
      const i = ctx.space.index.get(dimension);
      if (i === undefined) return;
      let mask = 0n;
      ctx.space.dimensions[i].values.forEach((v, c) => {
        // Only this field set; the others absent, which never drops an account.
        const p: RoutingPayment = { ...basePayment(), paymentMethodType: '', currency: '' };
        write(p, v);
        if (accountIneligibility(a, p) === null) mask |= 1n << BigInt(c);
      });
      box[i] = mask;
    };
    restrict('payment_method_type', (p, v) => {
      p.paymentMethodType = v === null ? '' : String(v);
    });
    restrict('payment_method', (p, v) => {
      p.paymentMethod = v === null ? null : String(v);
    });
    restrict('currency', (p, v) => {
      p.currency = v === null ? '' : String(v);
    });
    if (box.some((m) => m === 0n)) continue;
    const brandDim = ctx.space.index.get('card_brand');
    if (brandDim === undefined || cardDim === undefined) {
      out.push(box);
      continue;
    }
    // Without a card the brand is not checked; with one it must be supported (absent passes).
    const withBrand = [...box];
    restrict('card_brand', (p, v) => {
      p.card = { bin: '411111', extendedBin: null, brand: v === null ? null : String(v), type: null, subType: null, issuer: null, issuerCountry: null };
    });
    const brandMask = box[brandDim];
    box[brandDim] = fullMask(ctx.sizes[brandDim]);
    withBrand[brandDim] = brandMask;
    out.push(box);
    if (brandMask !== 0n) out.push(withBrand);
    // `box` (any brand) must then only stand for payments without a card:
    box[cardDim] = 1n;
    withBrand[cardDim] = fullMask(ctx.sizes[cardDim]) & ~1n;
  }
  return out;
}

function outputGateways(o: RuleOutput): GatewayRef[] {
  if (o.type === 'PRIORITY') return o.gateways;
  if (o.type === 'VOLUME_SPLIT') return o.splits.filter((s) => s.weight > 0);
  return o.splits.filter((s) => s.weight > 0).flatMap((s) => s.gateways);
}

function sameOutput(a: RuleOutput, b: RuleOutput): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function witnessOf(ctx: Context, r: Region): { fields: WitnessField[]; payment: RoutingPayment } | null {
  const point = pointOf(r);
  if (!point) return null;
  const p = basePayment(ctx.accounts);
  for (const i of writeOrder(ctx.space)) writeValue(p, ctx.space.dimensions[i].name, ctx.space.dimensions[i].values[point[i]]);
  const fields = ctx.space.dimensions.map((d, i) => ({ dimension: d.name, value: d.values[point[i]], description: d.labels[point[i]] }));
  return { fields, payment: p };
}

function label(rules: readonly Rule[], i: number): string {
  return `rule ${i + 1} ("${rules[i].name}")`;
}

/**
 * Analyses a rule-based logic against the merchant's gateway accounts (pass none to skip the
 * gateway checks). With a closed vocabulary, a value outside it is taken to occur on no payment.
 */
export interface AnalysisOptions {
  /** Enum dimensions whose values can only be those listed (e.g. payment_method_type: what the payment API accepts). */
  closedVocabularies?: Readonly<Record<string, readonly string[]>>;
}

export function analyzeRules(logic: Pick<RulesLogic, 'rules' | 'enforce' | 'defaultGateways'>, accounts: readonly GatewayAccount[] = [], options: AnalysisOptions = {}): RuleAnalysis {
  try {
    return analyse(logic, accounts, options.closedVocabularies ?? {});
  } catch (e) {
    if (e instanceof TooComplex) return { analysed: false, warnings: [], examples: [] };
    throw e;
  }
}

function analyse(logic: Pick<RulesLogic, 'rules' | 'enforce' | 'defaultGateways'>, accounts: readonly GatewayAccount[], closed: Readonly<Record<string, readonly string[]>>): RuleAnalysis {
  const rules = logic.rules;
  const restricted = ['payment_method_type', 'payment_method', 'card_brand', 'currency'].filter((d) =>
    accounts.some((a) => (d === 'payment_method_type' ? a.paymentMethodTypes : d === 'payment_method' ? a.paymentMethods : d === 'card_brand' ? a.cardBrands : a.currencies).length > 0),
  );
  const space = buildClassSpace(
    rules.map((r) => r.condition),
    accounts,
    restricted,
    closed,
  );
  const sizes = space.dimensions.map((d) => d.values.length);
  const cardBase = basePayment();
  const cardDim = space.index.get('card_bin');
  if (cardDim !== undefined) writeValue(cardBase, 'card_bin', space.dimensions[cardDim].values[1]);
  const ctx: Context = { space, sizes, accounts, cardBase };
  const all = universe(ctx);
  const warnings: RuleWarning[] = [];

  const regions = rules.map((r) => intersect(conditionRegion(ctx, r.condition), all));
  const reach: Region[] = [];
  let taken: Region = [];
  for (let i = 0; i < rules.length; i++) {
    const mine = regions[i];
    reach.push(isEmpty(mine) ? [] : subtract(mine, taken));
    if (isEmpty(mine)) {
      warnings.push({
        code: 'RULE_NEVER_MATCHES',
        rule: i,
        ruleName: rules[i].name,
        message: `${label(rules, i)} can never match: no payment satisfies its conditions together (contradictory conditions, or values a payment cannot have).`,
      });
    } else if (isEmpty(reach[i])) {
      const first = regions.findIndex((r, j) => j < i && intersect(r, mine).length > 0);
      warnings.push({
        code: 'RULE_SHADOWED',
        rule: i,
        ruleName: rules[i].name,
        otherRule: first,
        message: `${label(rules, i)} can never match: every payment it matches is taken by earlier rules (first ${label(rules, first)}).`,
      });
    } else if (!isCatchAllCondition(rules[i].condition)) {
      // The catch-all "Otherwise" rule overlaps every earlier rule by design: not reported.
      for (let j = 0; j < i; j++) {
        if (sameOutput(rules[i].output, rules[j].output)) continue;
        const both = intersect(regions[j], mine);
        const w = witnessOf(ctx, both);
        if (!w) continue;
        warnings.push({
          code: 'RULES_OVERLAP',
          rule: i,
          ruleName: rules[i].name,
          otherRule: j,
          witness: w.fields,
          witnessPayment: w.payment,
          message: `${label(rules, i)} and ${label(rules, j)} both match some payments, with different outputs; ${label(rules, j)} comes first and wins for them.`,
        });
      }
    }
    taken = taken.concat(mine);
  }

  const examples = reach.map((r) => witnessOf(ctx, r)?.payment ?? null);
  if (accounts.length === 0) return { analysed: true, warnings, examples };
  const supportCache = new Map<string, Region>();
  const support = (g: GatewayRef): Region => {
    const key = `${g.gateway}\u0000${g.gatewayReferenceId ?? ''}`;
    let r = supportCache.get(key);
    if (!r) supportCache.set(key, (r = gatewayRegion(ctx, g)));
    return r;
  };
  for (let i = 0; i < rules.length; i++) {
    if (isEmpty(reach[i])) continue;
    const gateways = outputGateways(rules[i].output);
    for (const g of gateways) {
      if (intersect(reach[i], support(g)).length === 0) {
        warnings.push({
          code: 'GATEWAY_NEVER_USABLE',
          rule: i,
          ruleName: rules[i].name,
          gateway: g.gateway,
          message: `${g.gateway} in ${label(rules, i)}'s output can take none of the payments the rule routes (its accounts do not support their payment method, card brand or currency, or it has no enabled account).`,
        });
      }
    }
    if (logic.enforce) {
      const left = subtract(reach[i], gateways.flatMap(support));
      const w = witnessOf(ctx, left);
      if (w)
        warnings.push({
          code: 'ENFORCED_NO_GATEWAY',
          rule: i,
          ruleName: rules[i].name,
          witness: w.fields,
          witnessPayment: w.payment,
          message: `With enforce on, some payments ${label(rules, i)} routes have no eligible gateway in its output, so they fail.`,
        });
    }
  }
  if (logic.enforce) {
    const unmatched = subtract(all, taken);
    const left = subtract(unmatched, logic.defaultGateways.flatMap(support));
    const w = witnessOf(ctx, left);
    if (w)
      warnings.push({
        code: 'ENFORCED_NO_GATEWAY',
        rule: null,
        ruleName: null,
        witness: w.fields,
        witnessPayment: w.payment,
        message: 'With enforce on, some payments that match no rule have no eligible gateway among the default gateways, so they fail.',
      });
  }
  return { analysed: true, warnings, examples };
}
