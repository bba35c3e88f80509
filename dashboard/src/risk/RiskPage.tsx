// Risk: the merchant's risk checks (docs/risk.md). Configuration, rules (the Priority Logic
// condition editor with a risk action), block and allow lists, the review queue, blocked
// payments, block rate by rule over time, the audit trail and a dry run. Viewers read; EDITOR and
// ADMIN change the setup and decide held payments (the server enforces the same rights).
import { useSession } from '../auth/session';
import { can } from '../auth/permissions';
import { Tabs } from '../components/Tabs';
import { ConfigTab } from './ConfigTab';
import { RulesTab } from './RulesTab';
import { ListsTab } from './ListsTab';
import { AuditTab, BlockedTab, BlockRateTab, ReviewsTab } from './ActivityTabs';
import { DryRunTab } from './DryRunTab';
import './risk.css';
import { useQueryParams } from '../router';

export function RiskPage() {
  const role = useSession().user?.role;
  const canEdit = can(role, 'risk.edit');
  const canReview = can(role, 'risk.review');
  // The tab (and each tab's filters) live in the URL, so a view can be shared and survives a reload.
  const [params, setParams] = useQueryParams();
  const tab = params.get('tab') ?? 'config';
  const setTab = (next: string) => setParams({ tab: next === 'config' ? null : next });
  return (
    <section className="page risk-page">
      <header className="page-header">
        <div>
          <h1>Risk</h1>
          <p>Fraud checks before the gateway: lists, rules, velocity limits and the review queue.{canEdit ? '' : ' Read only for your role.'}</p>
        </div>
      </header>
      <Tabs
        label="Risk"
        selected={tab}
        onSelect={setTab}
        tabs={[
          { id: 'config', label: 'Configuration', content: <ConfigTab canEdit={canEdit} /> },
          { id: 'rules', label: 'Rules', content: <RulesTab canEdit={canEdit} /> },
          { id: 'lists', label: 'Lists', content: <ListsTab canEdit={canEdit} /> },
          { id: 'reviews', label: 'Review queue', content: <ReviewsTab canReview={canReview} /> },
          { id: 'blocked', label: 'Blocked payments', content: <BlockedTab /> },
          { id: 'rate', label: 'Block rate', content: <BlockRateTab /> },
          { id: 'audit', label: 'Audit trail', content: <AuditTab /> },
          { id: 'dry-run', label: 'Dry run', content: <DryRunTab /> },
        ]}
      />
    </section>
  );
}
