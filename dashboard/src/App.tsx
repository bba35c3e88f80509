// The app shell: sign-in gate, left navigation, the signed-in user with Sign out, and the routes.
// Pages of the other areas are lazy chunks so the first load stays small.
import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { QueryClientProvider } from '@tanstack/react-query';
import { queryClient } from './api/query';
import { prefetchDefaultReport } from './analytics/analytics-request';
import { lazyPage } from './lazy-page';
import { useScrollRegions } from './components/scroll-regions';
import { Link, matchRoute, usePath } from './router';
import { SessionProvider, useSession } from './auth/session';
import { LoginPage } from './auth/LoginPage';
import { ToastProvider } from './components/Toast';
import { ErrorState } from './components/ErrorState';
import { TimeZoneSwitch } from './components/TimeZoneSwitch';
import { UnsavedChangesPrompt } from './components/unsaved-changes';
import { useZoneChoice } from './format/datetime';
import { PriorityLogicPage } from './priority-logic/PriorityLogicPage';
import { CreateLogicPage } from './priority-logic/CreateLogicPage';
import { LogicViewPage } from './priority-logic/LogicViewPage';
import { ImportLogicPage } from './priority-logic/ImportLogicPage';

const AnalyticsPage = lazyPage(() => import('./analytics/AnalyticsPage').then((m) => m.AnalyticsPage));
const PaymentsPage = lazyPage(() => import('./payments/PaymentsPage').then((m) => m.PaymentsPage));
const OrderPage = lazyPage(() => import('./payments/OrderPage').then((m) => m.OrderPage));
const GatewaysPage = lazyPage(() => import('./gateways/GatewaysPage').then((m) => m.GatewaysPage));
const RiskPage = lazyPage(() => import('./risk/RiskPage').then((m) => m.RiskPage));
/** Fetched shortly after sign-in, so moving between pages never waits for a chunk. */
const LAZY_PAGES = [AnalyticsPage, PaymentsPage, OrderPage, GatewaysPage, RiskPage];

/** `prefetch`: started when the link is pressed (pointerdown), before the click opens the page. */
const NAV: { to: string; label: string; match: (path: string) => boolean; prefetch?: () => void }[] = [
  { to: '/priority-logic', label: 'Priority Logic', match: (p) => p === '/' || p.startsWith('/priority-logic') },
  { to: '/analytics', label: 'Analytics', match: (p) => p.startsWith('/analytics'), prefetch: () => prefetchDefaultReport(queryClient) },
  { to: '/payments', label: 'Payments', match: (p) => p.startsWith('/payments') },
  { to: '/gateways', label: 'Gateways', match: (p) => p.startsWith('/gateways') },
  { to: '/risk', label: 'Risk', match: (p) => p.startsWith('/risk') },
];

const ROLE_LABELS: Record<string, string> = { ADMIN: 'Admin', EDITOR: 'Editor', APPROVER: 'Approver', VIEWER: 'Viewer' };

function routeFor(path: string): ReactNode {
  const clean = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  if (clean === '/' || clean === '/priority-logic') return <PriorityLogicPage />;
  if (clean === '/priority-logic/new') return <CreateLogicPage />;
  if (clean === '/priority-logic/import') return <ImportLogicPage />;
  let m = matchRoute('/priority-logic/:id/copy', clean);
  if (m) return <CreateLogicPage key={`copy-${m.id}`} copyFromId={m.id} />;
  m = matchRoute('/priority-logic/:id', clean);
  if (m) return <LogicViewPage key={m.id} id={m.id!} />;
  if (clean === '/analytics') return <AnalyticsPage />;
  if (clean === '/payments') return <PaymentsPage />;
  m = matchRoute('/payments/:orderId', clean);
  if (m) return <OrderPage key={m.orderId} orderId={m.orderId!} />;
  if (clean === '/gateways') return <GatewaysPage />;
  if (clean === '/risk') return <RiskPage />;
  return (
    <section className="page">
      <h1>Page not found</h1>
      <p className="muted">
        Nothing lives at <code>{path}</code>. <Link to="/priority-logic">Go to Priority Logic</Link>
      </p>
    </section>
  );
}

function Shell() {
  const { status, user, logout, error, retry } = useSession();
  const path = usePath();
  useZoneChoice(); // every page re-renders its dates when the time zone changes
  const signedIn = status === 'authenticated' && user !== null;
  const [menuOpen, setMenuOpen] = useState(false);
  useScrollRegions(signedIn ? 'main-content' : '');
  // The phone menu closes when a page is chosen, and on Escape.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the route change is the trigger: choosing a page closes the phone menu
  useEffect(() => setMenuOpen(false), [path]);
  useEffect(() => {
    if (!menuOpen) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setMenuOpen(false);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [menuOpen]);
  useEffect(() => {
    if (!signedIn) return;
    const timer = setTimeout(() => {
      for (const page of LAZY_PAGES) void page.preload().catch(() => undefined);
    }, 200);
    return () => clearTimeout(timer);
  }, [signedIn]);
  if (status === 'loading')
    return (
      <div className="loading" role="status">
        Loading…
      </div>
    );
  if (status === 'error') {
    return (
      <main className="main session-error">
        <ErrorState error={error} onRetry={retry} testId="session-error" />
      </main>
    );
  }
  if (status !== 'authenticated' || !user) return <LoginPage />;
  return (
    <div className="app">
      {/* biome-ignore lint/a11y/useValidAnchor: a skip link is an in-page link (its href works without script); the handler moves focus without touching the router's URL */}
      <a
        className="skip-link"
        href="#main-content"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main-content')?.focus();
        }}
      >
        Skip to content
      </a>
      <aside className={`sidebar${menuOpen ? ' open' : ''}`}>
        <div className="brand">
          Junction
          <small>Payments dashboard</small>
        </div>
        {/* On a phone the navigation and the user block open from here (hidden by CSS on wider screens). */}
        <button type="button" className="btn btn-small menu-toggle" aria-expanded={menuOpen} aria-controls="main-nav" onClick={() => setMenuOpen(!menuOpen)}>
          Menu
        </button>
        <nav aria-label="Main" id="main-nav">
          <ul>
            {NAV.map((n) => (
              <li key={n.to}>
                <Link to={n.to} aria-current={n.match(path) ? 'page' : undefined} onPointerDown={n.prefetch ? (e) => e.button === 0 && n.prefetch?.() : undefined}>
                  {n.label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user" data-testid="current-user">
          <div className="email">{user.email}</div>
          <div className="role">
            {ROLE_LABELS[user.role] ?? user.role}
            {user.merchant_id ? ` · ${user.merchant_id}` : ''}
          </div>
          <TimeZoneSwitch />
          <button type="button" className="btn btn-small" onClick={() => void logout()}>
            Sign out
          </button>
        </div>
      </aside>
      <main className="main" id="main-content" tabIndex={-1}>
        <Suspense
          fallback={
            <div className="loading" role="status">
              Loading…
            </div>
          }
        >
          {routeFor(path)}
        </Suspense>
      </main>
      <UnsavedChangesPrompt />
    </div>
  );
}

export function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <SessionProvider>
        <ToastProvider>
          <Shell />
        </ToastProvider>
      </SessionProvider>
    </QueryClientProvider>
  );
}
