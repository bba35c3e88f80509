// Keyboard access to every box that scrolls sideways (a wide table on a phone, the Active logics
// table): a box that scrolls gets tabindex 0, so it can be focused and scrolled with the arrow
// keys, and a name from its table when it has none (WCAG 2.1.1; axe's scrollable-region-focusable).
// Watches the page for new content, since tables appear as data loads.
import { useEffect } from 'react';

const BOXES = '.table-scroll, .table-wrap, .table';

function label(box: HTMLElement): string {
  const table = box.matches('table') ? box : box.querySelector('table');
  const named = table?.getAttribute('aria-label') ?? table?.querySelector('caption')?.textContent ?? null;
  if (named) return named.trim();
  const labelledBy = table?.getAttribute('aria-labelledby');
  const heading = labelledBy ? document.getElementById(labelledBy)?.textContent : box.closest('section')?.querySelector('h2, h3')?.textContent;
  return (heading ?? 'Table').trim();
}

function markScrollRegions(root: ParentNode): void {
  for (const box of root.querySelectorAll<HTMLElement>(BOXES)) {
    const scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== 'visible';
    if (scrolls && !box.hasAttribute('tabindex')) {
      box.setAttribute('tabindex', '0');
      box.dataset.scrollRegion = 'true';
      if (!box.matches('table') && !box.hasAttribute('aria-label')) {
        box.setAttribute('role', 'region');
        box.setAttribute('aria-label', `${label(box)} (scrolls sideways)`);
      }
    } else if (!scrolls && box.dataset.scrollRegion === 'true') {
      box.removeAttribute('tabindex');
      delete box.dataset.scrollRegion;
      if (box.getAttribute('role') === 'region') {
        box.removeAttribute('role');
        box.removeAttribute('aria-label');
      }
    }
  }
}

/** Keeps the scroll boxes under the element with this id keyboard-reachable. */
export function useScrollRegions(rootId: string): void {
  useEffect(() => {
    const root = document.getElementById(rootId);
    if (!root) return;
    let frame = 0;
    const schedule = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => markScrollRegions(root));
    };
    schedule();
    const observer = new MutationObserver(schedule);
    observer.observe(root, { childList: true, subtree: true });
    window.addEventListener('resize', schedule);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      window.removeEventListener('resize', schedule);
    };
  }, [rootId]);
}
