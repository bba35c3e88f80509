import { render, screen, within } from '@testing-library/react';
import { useState } from 'react';
import { describe, expect, it, vi, afterEach } from 'vitest';
import { SortableList, moveItem } from './SortableList';
import { keyboardDrag, layoutSortables } from '../priority-logic/test-helpers';

function List({ onReorder }: { onReorder?: (ids: string[]) => void }) {
  const [items, setItems] = useState(['ALPHA', 'BETA', 'GAMMA']);
  return (
    <SortableList
      label="Gateways"
      items={items}
      getId={(x) => x}
      getLabel={(x) => x}
      onReorder={(next) => {
        setItems(next);
        onReorder?.(next);
      }}
      renderItem={(x) => <span>{x}</span>}
    />
  );
}

const order = () =>
  within(screen.getByRole('list', { name: 'Gateways' }))
    .getAllByRole('listitem')
    .map((li) => li.textContent?.replace('⠿', ''));

describe('SortableList', () => {
  let restore: (() => void) | null = null;
  afterEach(() => {
    restore?.();
    restore = null;
    vi.useRealTimers();
  });

  it('renders a visible drag handle per item named "Drag <item>"', () => {
    render(<List />);
    expect(screen.getByRole('button', { name: 'Drag ALPHA' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Drag GAMMA' })).toBeTruthy();
  });

  it('reorders with the keyboard: focus the handle, Space, ArrowDown, Space', async () => {
    restore = layoutSortables();
    const onReorder = vi.fn();
    render(<List onReorder={onReorder} />);
    await keyboardDrag(screen.getByRole('button', { name: 'Drag ALPHA' }), 1);
    expect(onReorder).toHaveBeenCalledWith(['BETA', 'ALPHA', 'GAMMA']);
    expect(order()).toEqual(['BETA', 'ALPHA', 'GAMMA']);
  });

  it('moveItem moves one element', () => {
    expect(moveItem(['a', 'b', 'c'], 2, 0)).toEqual(['c', 'a', 'b']);
  });
});
