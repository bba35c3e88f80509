// A page loaded on demand (its own chunk, so the first load stays small) that can also be fetched
// ahead of time: once its module is here, the page renders at once, with no Suspense fallback
// and none of React's fallback throttling on navigation.
import { lazy, type ComponentType, type ReactElement } from 'react';

interface LazyPage<P extends object> {
  (props: P): ReactElement;
  preload(): Promise<unknown>;
}

export function lazyPage<P extends object>(load: () => Promise<ComponentType<P>>): LazyPage<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<ComponentType<P>> | null = null;
  const preload = () => {
    pending ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        pending = null; // a failed fetch (offline, new deployment) is tried again next time
        throw error;
      },
    );
    return pending;
  };
  const Lazy = lazy(() => preload().then((component) => ({ default: component })));
  // biome-ignore lint/correctness/noComponentHookFactories: one component per page, made once when the page module loads, never during a render
  const Page = (props: P) => {
    const Loaded = loaded;
    return Loaded ? <Loaded {...props} /> : <Lazy {...props} />;
  };
  return Object.assign(Page, { preload });
}
