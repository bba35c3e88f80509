// The merchant's risk configuration and rules: read, write, delete. Every change drops the risk
// service's compiled setup of the merchant so the next payment sees it.
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../errors.ts';
import type { RiskRule } from '../../risk/types.ts';
import type { Actor } from '../priority-logic/types.ts';
import type { RiskAdminDeps } from './risk-admin-service.ts';
import { need, who } from './risk-admin-input.ts';
import { parseRiskConfig, parseRiskRule, riskConfigWire, riskRuleWire } from './risk-config-input.ts';

export function createRiskConfigAdmin({ store, risk }: Pick<RiskAdminDeps, 'store' | 'risk'>) {
  return {
    async getConfig(actor: Actor) {
      need(actor, 'read');
      const config = await store.getConfig(actor.merchantId);
      return { configured: config !== null, config: config ? riskConfigWire(config) : null };
    },
    async putConfig(actor: Actor, body: unknown) {
      need(actor, 'edit');
      const config = parseRiskConfig(body);
      await store.putConfig(actor.merchantId, config, who(actor));
      risk.invalidate(actor.merchantId);
      return { configured: true, config: riskConfigWire(config) };
    },
    async deleteConfig(actor: Actor) {
      need(actor, 'edit');
      const deleted = await store.deleteConfig(actor.merchantId, who(actor));
      risk.invalidate(actor.merchantId);
      if (!deleted) throw notFound('Risk configuration');
      return { configured: false, config: null };
    },
    async listRules(actor: Actor) {
      need(actor, 'read');
      return { rules: (await store.listRules(actor.merchantId)).map(riskRuleWire) };
    },
    async createRule(actor: Actor, body: unknown) {
      need(actor, 'edit');
      const rule = parseRiskRule(body, `rrl_${randomUUID().replace(/-/g, '').slice(0, 20)}`);
      const saved = await store.insertRule(actor.merchantId, rule, who(actor));
      if (!saved) throw new AppError('ALREADY_EXISTS', `A risk rule named ${rule.name} already exists`, { fields: [{ field_name: 'name', reason: 'is used by another rule' }] });
      risk.invalidate(actor.merchantId);
      return riskRuleWire(saved);
    },
    async updateRule(actor: Actor, id: string, body: unknown) {
      need(actor, 'edit');
      const previous = await store.getRule(actor.merchantId, id);
      if (!previous) throw new AppError('RESOURCE_NOT_FOUND', `Risk rule ${id} not found`, { fields: [{ field_name: 'id', reason: 'no such rule for this merchant' }] });
      const rule = parseRiskRule(body, id, previous);
      let saved: RiskRule | null;
      try {
        saved = await store.updateRule(actor.merchantId, rule, who(actor));
      } catch (error) {
        if (/unique|duplicate/i.test(String(error)))
          throw new AppError('ALREADY_EXISTS', `A risk rule named ${rule.name} already exists`, { fields: [{ field_name: 'name', reason: 'is used by another rule' }] });
        throw error;
      }
      if (!saved) throw notFound(`Risk rule ${id}`);
      risk.invalidate(actor.merchantId);
      return riskRuleWire(saved);
    },
    async deleteRule(actor: Actor, id: string) {
      need(actor, 'edit');
      if (!(await store.deleteRule(actor.merchantId, id, who(actor))))
        throw new AppError('RESOURCE_NOT_FOUND', `Risk rule ${id} not found`, { fields: [{ field_name: 'id', reason: 'no such rule for this merchant' }] });
      risk.invalidate(actor.merchantId);
      return { deleted: true, id };
    },
  };
}
