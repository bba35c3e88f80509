// The head row of a data table: one column header per label, numeric columns right-aligned.
import type { ReactNode } from 'react';

export function TableHead({ columns, numeric = [], after }: { columns: readonly string[]; numeric?: readonly string[]; after?: ReactNode }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => (
          <th key={column} scope="col" className={numeric.includes(column) ? 'num' : undefined}>
            {column}
          </th>
        ))}
        {after}
      </tr>
    </thead>
  );
}
