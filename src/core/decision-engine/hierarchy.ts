// The engine's account hierarchy (src/routes/hierarchy.rs, docs/hs-hierarchy-migration.md): a
// Hyperswitch deployment pushes its organization -> merchant -> profile tree with
// POST /admin/hierarchy/sync (x-admin-secret). Each profile is a routing scope, an engine merchant:
// created when missing (mapped onto a Junction merchant of the profile's id, or onto
// `junction_merchant_id` given on the merchant node, Junction's addition), its ancestry written when
// it changed. POST /admin/hierarchy/reconcile reports, without writing, which engine merchants the
// tree links, which it does not know, and which are stranded (named like an HS merchant, not a profile).
import type { EngineHierarchy } from '../ports/decision-engine-store.ts';
import { AppError } from '../errors.ts';
import { EngineInputError, teError } from './engine-wire.ts';
import { asObject, notAnObject, ok, type DecisionEngineDeps, type EngineAccess, type EngineAnswer, type EngineCaller } from './engine-access.ts';

const SCOPE_ID = /^[A-Za-z0-9_.:-]{1,64}$/;
export const HIERARCHY_SHAPE_VERSION = 1;

interface ProfileNode {
  profileId: string;
  profileName?: string;
}
interface MerchantNode {
  merchantId: string;
  merchantName?: string;
  junctionMerchantId?: string;
  profiles: ProfileNode[];
}
interface OrgNode {
  orgId: string;
  orgName?: string;
  merchants: MerchantNode[];
}
interface HierarchyRequest {
  orgs: OrgNode[];
  includeAllScopes: boolean;
  reportStranded: boolean;
}

const optionalText = (o: Record<string, unknown>, key: string, path: string): string | undefined => {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new EngineInputError(`${path}.${key}`, 'must be a string');
  return v;
};
const id = (o: Record<string, unknown>, key: string, path: string): string => {
  const v = o[key];
  if (typeof v !== 'string' || !SCOPE_ID.test(v)) throw new EngineInputError(`${path}.${key}`, 'is required: 1 to 64 letters, digits, _ . : or -');
  return v;
};
const list = (o: Record<string, unknown>, key: string, path: string): Record<string, unknown>[] => {
  const v = o[key] ?? [];
  if (!Array.isArray(v) || !v.every((x) => asObject(x))) throw new EngineInputError(`${path}.${key}`, 'must be an array of objects');
  return v as Record<string, unknown>[];
};

/** The request's tree, read as the engine's serde would (defaults: include_all_scopes false, report_stranded true). */
function readTree(b: Record<string, unknown>): HierarchyRequest {
  if (!Array.isArray(b.orgs)) throw new EngineInputError('orgs', 'is required (an array)');
  const flag = (key: string, fallback: boolean) => {
    if (b[key] === undefined) return fallback;
    if (typeof b[key] !== 'boolean') throw new EngineInputError(key, 'must be true or false');
    return b[key] as boolean;
  };
  const orgs = list(b, 'orgs', 'body').map((org, i) => ({
    orgId: id(org, 'org_id', `orgs[${i}]`),
    orgName: optionalText(org, 'org_name', `orgs[${i}]`),
    merchants: list(org, 'merchants', `orgs[${i}]`).map((merchant, k) => {
      const path = `orgs[${i}].merchants[${k}]`;
      const junction = merchant.junction_merchant_id === undefined ? undefined : id(merchant, 'junction_merchant_id', path);
      return {
        merchantId: id(merchant, 'merchant_id', path),
        merchantName: optionalText(merchant, 'merchant_name', path),
        junctionMerchantId: junction,
        profiles: list(merchant, 'profiles', path).map((p, n) => ({
          profileId: id(p, 'profile_id', `${path}.profiles[${n}]`),
          profileName: optionalText(p, 'profile_name', `${path}.profiles[${n}]`),
        })),
      };
    }),
  }));
  return { orgs, includeAllScopes: flag('include_all_scopes', false), reportStranded: flag('report_stranded', true) };
}

/** Profile -> (HS merchant, org), and the HS merchant ids: what the engine's TreeIndex classifies by. */
function indexOf(tree: HierarchyRequest) {
  const parents = new Map<string, { merchantId: string; orgId: string }>();
  const merchantIds = new Set<string>();
  for (const org of tree.orgs)
    for (const merchant of org.merchants) {
      merchantIds.add(merchant.merchantId);
      for (const p of merchant.profiles) parents.set(p.profileId, { merchantId: merchant.merchantId, orgId: org.orgId });
    }
  const classify = (scope: string) => (parents.has(scope) ? 'linked' : merchantIds.has(scope) ? 'stranded' : 'unlinked');
  return { parents, classify };
}

/** Two ancestries the same but for the time of their sync (a stored one comes back in jsonb's key order). */
function sameAncestry(a: EngineHierarchy | null | undefined, b: EngineHierarchy): boolean {
  if (!a) return false;
  const canonical = (h: EngineHierarchy) => JSON.stringify(Object.entries({ ...h, synced_at: null }).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  return canonical(a) === canonical(b);
}

export function hierarchyCalls(deps: DecisionEngineDeps, access: EngineAccess) {
  async function withTree(caller: EngineCaller, body: unknown, run: (tree: HierarchyRequest) => Promise<EngineAnswer>): Promise<EngineAnswer> {
    if (caller.kind !== 'OPERATOR') return { status: 401, body: 'Invalid admin secret', text: true };
    const b = asObject(body);
    if (!b) return notAnObject;
    let tree: HierarchyRequest;
    try {
      tree = readTree(b);
    } catch (e) {
      if (e instanceof EngineInputError) return { status: 400, body: teError(`${e.field} ${e.reason}`) };
      throw e;
    }
    return run(tree);
  }

  /** The Junction merchant a new profile maps onto: the merchant node's, else one of the profile's id (created). */
  async function junctionMerchantOf(profileId: string, merchant: MerchantNode): Promise<string> {
    const target = merchant.junctionMerchantId ?? profileId;
    if (await deps.merchants.exists(target)) return target;
    if (merchant.junctionMerchantId) throw new AppError('RESOURCE_NOT_FOUND', `Junction merchant ${target} not found`);
    await deps.merchants.create(target);
    return target;
  }

  async function stranded(classify: (scope: string) => string): Promise<string[]> {
    return (await deps.store.listEngineMerchantIds()).filter((scope) => classify(scope) === 'stranded');
  }

  return {
    syncHierarchy: (caller: EngineCaller, body: unknown) =>
      withTree(caller, body, async (tree) => {
        const syncedAt = new Date(access.now()).toISOString();
        let created = 0;
        let updated = 0;
        let unchanged = 0;
        for (const org of tree.orgs)
          for (const merchant of org.merchants)
            for (const profile of merchant.profiles) {
              const desired: EngineHierarchy = {
                v: HIERARCHY_SHAPE_VERSION,
                hs_org_id: org.orgId,
                ...(org.orgName ? { hs_org_name: org.orgName } : {}),
                hs_merchant_id: merchant.merchantId,
                ...(merchant.merchantName ? { hs_merchant_name: merchant.merchantName } : {}),
                ...(profile.profileName ? { profile_name: profile.profileName } : {}),
                synced_at: syncedAt,
              };
              const existing = await deps.store.getEngineMerchant(profile.profileId);
              if (!existing) {
                let merchantId: string;
                try {
                  merchantId = await junctionMerchantOf(profile.profileId, merchant);
                } catch (error) {
                  if (error instanceof AppError && error.status < 500) return { status: 400, body: teError(`${profile.profileId}: ${error.message}`) };
                  throw error;
                }
                await deps.store.insertEngineMerchant({ engineMerchantId: profile.profileId, merchantId, deciderInput: null, debitRoutingEnabled: false });
                await deps.store.setHierarchy(profile.profileId, desired);
                created++;
              } else if (sameAncestry(existing.hierarchy, desired)) unchanged++;
              else {
                await deps.store.setHierarchy(profile.profileId, desired);
                updated++;
              }
              access.forget(profile.profileId);
            }
        return ok({
          orgs_seen: tree.orgs.length,
          merchants_seen: tree.orgs.reduce((n, o) => n + o.merchants.length, 0),
          profiles_created: created,
          profiles_updated: updated,
          profiles_unchanged: unchanged,
          stranded: tree.reportStranded ? await stranded(indexOf(tree).classify) : [],
        });
      }),

    reconcileHierarchy: (caller: EngineCaller, body: unknown) =>
      withTree(caller, body, async (tree) => {
        const { parents, classify } = indexOf(tree);
        const scopes = await deps.store.listEngineMerchantIds();
        const counts = { linked: 0, unlinked: 0, stranded: 0 };
        const reports: Record<string, unknown>[] = [];
        for (const scope of scopes) {
          const kind = classify(scope) as keyof typeof counts;
          counts[kind]++;
          if (tree.includeAllScopes || kind === 'stranded') {
            const m = await deps.store.getEngineMerchant(scope);
            const parent = parents.get(scope);
            reports.push({ scope_id: scope, classification: kind, ...(parent ? { hs_merchant_id: parent.merchantId, hs_org_id: parent.orgId } : {}), has_ancestry: Boolean(m?.hierarchy) });
          }
        }
        const known = new Set(scopes);
        return ok({ ...counts, missing_in_de: [...parents.keys()].filter((p) => !known.has(p)), scopes: reports });
      }),
  };
}
