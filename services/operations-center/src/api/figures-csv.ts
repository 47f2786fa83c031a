import { stringify } from 'csv-stringify/sync';
import type { Sections } from '../read-model/operations-read-model';

/** A cell of the leading columns that name a place. */
export type CsvCell = string | number | null;

/** One line of an export: the columns that name the place, then its figures. */
export interface FiguresCsvRow {
  readonly place: Readonly<Record<string, CsvCell>>;
  readonly figures: Sections;
}

/**
 * Every figure of a sections object as [dotted path, value], depth first in the
 * order the read model builds them (e.g. `canvass.units.byKind.market.active`),
 * so that a department's new figures become new columns without code here.
 */
export function flattenFigures(figures: Sections, prefix = ''): [string, CsvCell][] {
  return Object.entries(figures).flatMap(([key, value]): [string, CsvCell][] => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object') return flattenFigures(value as Sections, path);
    return [[path, typeof value === 'number' || typeof value === 'string' || value === null ? value : String(value)]];
  });
}

/**
 * A table of places and their figures for spreadsheets: one header line, the
 * union of every row's figure paths as columns, a UTF-8 byte order mark (so
 * Excel and WPS show the Chinese names), CRLF line ends, and cells that start
 * like a formula (=, +, -, @) escaped: names come from registrations, and a
 * spreadsheet must not run them.
 */
export function figuresCsv(rows: readonly FiguresCsvRow[], placeColumns: readonly string[]): string {
  const flattened = rows.map((r) => new Map(flattenFigures(r.figures)));
  const figureColumns = [...new Set(flattened.flatMap((f) => [...f.keys()]))];
  const records = rows.map((r, i) => [...placeColumns.map((c) => r.place[c] ?? null), ...figureColumns.map((c) => flattened[i].get(c) ?? null)]);
  return stringify(records, {
    header: true,
    columns: [...placeColumns, ...figureColumns],
    bom: true,
    escape_formulas: true,
    record_delimiter: 'windows',
  });
}
