// A vertical list reordered by drag and drop (dnd-kit): pointer (mouse/touch, after a 4 px move so
// clicks on the item's controls still work) and keyboard (focus the handle, Space, arrows, Space).
// Every item has a visible handle named "Drag <item label>". Lists may nest: each list has its own
// DndContext, so dragging a condition never moves the group around it.
import { useMemo, type CSSProperties, type HTMLAttributes, type ReactNode } from 'react';
import { DndContext, KeyboardSensor, PointerSensor, closestCenter, useSensor, useSensors, type DragEndEvent, type Announcements } from '@dnd-kit/core';
import { SortableContext, arrayMove, sortableKeyboardCoordinates, useSortable, verticalListSortingStrategy } from '@dnd-kit/sortable';
import { CSS } from '@dnd-kit/utilities';

interface SortableListProps<T> {
  items: readonly T[];
  getId: (item: T) => string;
  /** Human name of an item, used in the handle's label ("Drag <label>") and announcements. */
  getLabel: (item: T, index: number) => string;
  onReorder: (items: T[], from: number, to: number) => void;
  renderItem: (item: T, index: number) => ReactNode;
  /** Accessible name of the list. */
  label?: string;
  className?: string;
  itemClassName?: string;
  /** Items whose content is a block (rules, groups): the handle sits at the top. */
  block?: boolean;
  'data-testid'?: string;
}

/** Moves one element; exported for callers and tests that reorder without a drag. */
export function moveItem<T>(items: readonly T[], from: number, to: number): T[] {
  return arrayMove([...items], from, to);
}

export function SortableList<T>(props: SortableListProps<T>) {
  const { items, getId, getLabel, onReorder, renderItem, label, className, itemClassName, block } = props;
  const sensors = useSensors(useSensor(PointerSensor, { activationConstraint: { distance: 4 } }), useSensor(KeyboardSensor, { coordinateGetter: sortableKeyboardCoordinates }));
  const ids = useMemo(() => items.map(getId), [items, getId]);
  const labelOf = (id: string | number): string => {
    const i = ids.indexOf(String(id));
    return i >= 0 ? getLabel(items[i]!, i) : String(id);
  };
  const announcements: Announcements = {
    onDragStart: ({ active }) => `Picked up ${labelOf(active.id)}, position ${ids.indexOf(String(active.id)) + 1} of ${ids.length}.`,
    onDragOver: ({ active, over }) => (over ? `${labelOf(active.id)} is over position ${ids.indexOf(String(over.id)) + 1} of ${ids.length}.` : `${labelOf(active.id)} is no longer over the list.`),
    onDragEnd: ({ active, over }) => (over ? `${labelOf(active.id)} was dropped at position ${ids.indexOf(String(over.id)) + 1} of ${ids.length}.` : `${labelOf(active.id)} was dropped.`),
    onDragCancel: ({ active }) => `Moving ${labelOf(active.id)} was cancelled.`,
  };

  const onDragEnd = (event: DragEndEvent) => {
    const { active, over } = event;
    if (!over || active.id === over.id) return;
    const from = ids.indexOf(String(active.id));
    const to = ids.indexOf(String(over.id));
    if (from < 0 || to < 0) return;
    onReorder(moveItem(items, from, to), from, to);
  };

  return (
    <DndContext
      sensors={sensors}
      collisionDetection={closestCenter}
      onDragEnd={onDragEnd}
      // Scroll only when the pointer is at the very edge of the viewport: a drag to a target that
      // is on screen (a person's, or Playwright's mouse steps) never moves the page under it.
      autoScroll={{ threshold: { x: 0, y: 0.04 }, acceleration: 8 }}
      accessibility={{
        announcements,
        screenReaderInstructions: { draggable: 'To reorder, press Space or Enter on the handle, move with the arrow keys, then press Space or Enter again to drop, or Escape to cancel.' },
      }}
    >
      <SortableContext items={ids} strategy={verticalListSortingStrategy}>
        <ul className={`sortable ${className ?? ''}`} aria-label={label} data-testid={props['data-testid']}>
          {items.map((item, index) => (
            <SortableItem key={ids[index]} id={ids[index]!} label={getLabel(item, index)} className={itemClassName} block={block} index={index}>
              {renderItem(item, index)}
            </SortableItem>
          ))}
        </ul>
      </SortableContext>
    </DndContext>
  );
}

function SortableItem({ id, label, children, className, block, index }: { id: string; label: string; children: ReactNode; className?: string; block?: boolean; index: number }) {
  const { attributes, listeners, setNodeRef, setActivatorNodeRef, transform, transition, isDragging } = useSortable({ id });
  const style: CSSProperties = { transform: CSS.Translate.toString(transform), transition };
  const handleProps: HTMLAttributes<HTMLButtonElement> = { ...attributes, ...listeners };
  return (
    <li ref={setNodeRef} style={style} className={`sortable-item ${block ? 'block' : ''} ${isDragging ? 'dragging' : ''} ${className ?? ''}`} data-sortable-index={index} data-sortable-id={id}>
      <button type="button" ref={setActivatorNodeRef} className="drag-handle" aria-label={`Drag ${label}`} title={`Drag ${label}`} {...handleProps}>
        <span aria-hidden="true">⠿</span>
      </button>
      <div className="grow">{children}</div>
    </li>
  );
}
