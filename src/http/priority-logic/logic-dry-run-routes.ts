// Trying a logic without releasing it: the dry run against a sample payment and the rule analysis.
import { BASE, errors, logicInput, security, tags, type LogicRoutesApp, type LogicRoutesContext } from './route-support.ts';
import { AnalyzeBody, DryRunBody, Loose, explanationToWire, ruleAnalysisToWire } from './wire.ts';

/** POST dry-run and analyze: a stored logic (logic_id) or a draft (logic). */
export function registerLogicDryRunRoutes(app: LogicRoutesApp, { service, actorOf }: LogicRoutesContext): void {
  app.post(
    `${BASE}/dry-run`,
    {
      schema: {
        tags,
        security,
        summary: 'Run a stored logic (logic_id) or a draft (logic) against a sample payment: full trace and decision record',
        body: DryRunBody,
        response: { 200: Loose, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const b = request.body;
      const result = await service.dryRun(actor, {
        ...(b.logic_id ? { logicId: b.logic_id } : {}),
        ...(b.logic ? { logic: logicInput(b.logic as Record<string, unknown>) } : {}),
        payment: b.payment as Record<string, unknown>,
      });
      return explanationToWire(result);
    },
  );

  app.post(
    `${BASE}/analyze`,
    {
      schema: {
        tags,
        security,
        summary:
          'Rule analysis of a stored logic (logic_id) or a draft (logic): rules that never match or are shadowed, overlaps with a witness payment, gateways a rule cannot use, enforced lists that leave payments without a gateway (warnings, not errors)',
        body: AnalyzeBody,
        response: { 200: Loose, ...errors },
      },
    },
    async (request) => {
      const actor = await actorOf(request);
      const b = request.body;
      const result = await service.analyze(actor, {
        ...(b.logic_id ? { logicId: b.logic_id } : {}),
        ...(b.logic ? { logic: logicInput(b.logic as Record<string, unknown>) } : {}),
      });
      return ruleAnalysisToWire(result);
    },
  );
}
