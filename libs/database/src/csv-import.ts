import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { basename } from 'node:path';

/** A bad row: names the file, the line and what is wrong, so it can be fixed by hand. */
export class ImportError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
  }
}

export interface CsvRow {
  line: number;
  fields: Record<string, string>;
}

/**
 * Streams the rows of a CSV file with a header row, each with its line number. A missing
 * column or a malformed line stops the import with an ImportError.
 */
export async function* readCsv(path: string, requiredColumns: string[]): AsyncGenerator<CsvRow> {
  const file = basename(path);
  const parser = createReadStream(path).pipe(
    parse({ columns: true, bom: true, info: true, skip_empty_lines: true, trim: false }),
  );
  let checkedHeader = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: Record<string, string>; info: { lines: number } }>) {
      if (!checkedHeader) {
        const missing = requiredColumns.filter((column) => !(column in record));
        if (missing.length > 0) throw new ImportError(file, 1, `missing column(s): ${missing.join(', ')}`);
        checkedHeader = true;
      }
      yield { line: info.lines, fields: record };
    }
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const csvError = error as { lines?: number; message?: string; code?: string };
    if (csvError.code === 'ENOENT') throw new ImportError(file, 0, 'file not found');
    throw new ImportError(file, csvError.lines ?? 0, csvError.message ?? String(error));
  }
}

/** Prints a progress line to stderr every `every` rows. */
export function progress(label: string, every = 100_000): (count: number) => void {
  return (count) => {
    if (count % every === 0) process.stderr.write(`  ${label}: ${count.toLocaleString('en')} rows\n`);
  };
}
