// "Export CSV" for a list or a chart's data: the rows on screen, through the one CSV writer.
import { csvFilename, downloadCsv, toCsv, type CsvColumn } from '../format/csv.ts';

interface ExportCsvButtonProps<Row> {
  /** File name without date and extension, e.g. "payments". */
  name: string;
  columns: readonly CsvColumn<Row>[];
  rows: readonly Row[];
  /** Accessible name, e.g. "Export CSV of payments". */
  label?: string;
}

export function ExportCsvButton<Row>({ name, columns, rows, label }: ExportCsvButtonProps<Row>) {
  return (
    <button
      type="button"
      className="btn btn-small export-csv"
      aria-label={label ?? `Export CSV of ${name}`}
      disabled={rows.length === 0}
      onClick={() => downloadCsv(csvFilename(name), toCsv(columns, rows))}
    >
      Export CSV
    </button>
  );
}
