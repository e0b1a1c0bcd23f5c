import { createReadStream, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Worker } from 'node:worker_threads';

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

/** Thrown by a row handler: what is wrong with the row (or with an earlier one, by number). */
export class RowProblem extends Error {
  constructor(
    readonly reason: string,
    readonly record?: number,
  ) {
    super(reason);
  }
}

// csv-parse is imported where a file is read: the services load this module with the
// database library and never import a file.
const CSV_OPTIONS = { bom: true, skip_empty_lines: true } as const;

/**
 * The line on which data record `record` (1-based) ends. Counting lines costs csv-parse
 * about as much again as parsing, so it is done only for an error, by parsing once more.
 */
export async function lineOfRecord(path: string, record: number): Promise<number> {
  const { parse } = await import('csv-parse');
  const parser = createReadStream(path).pipe(parse({ ...CSV_OPTIONS, columns: true, info: true, to: record }));
  let line = 0;
  for await (const { info } of parser as AsyncIterable<{ info: { lines: number } }>) line = info.lines;
  return line;
}

/**
 * Calls `onRow` with every data record of a CSV file with a header row, in order, and the
 * record's number (1-based). A missing column, a malformed line or a RowProblem thrown by
 * `onRow` stops the import with an ImportError naming the file and line. The file is parsed
 * on a worker thread (csv-parse is the slowest part of an import) while `onRow` runs here.
 */
export async function eachCsvRow(path: string, requiredColumns: string[], onRow: (fields: Record<string, string>, record: number) => void): Promise<number> {
  const file = basename(path);
  if (!existsSync(path)) throw new ImportError(file, 0, 'file not found');
  const worker = workerScript();
  if (!worker) return eachCsvRowInThread(path, requiredColumns, onRow);
  let record = 0;
  let problem: RowProblem | null = null;
  const parser = new Worker(worker, { workerData: { path } });
  try {
    await new Promise<void>((resolve, reject) => {
      parser.on('error', reject);
      parser.on('message', (message: ParserMessage) => {
        if (message.kind === 'header') {
          const missing = requiredColumns.filter((column) => !message.header.includes(column));
          if (missing.length > 0) reject(new ImportError(file, 1, `missing column(s): ${missing.join(', ')}`));
        } else if (message.kind === 'rows') {
          if (problem) return;
          try {
            for (const fields of message.rows) onRow(fields, ++record);
          } catch (error) {
            problem = error instanceof RowProblem ? error : new RowProblem((error as Error).message);
            resolve();
          }
        } else if (message.kind === 'end') {
          resolve();
        } else {
          reject(new ImportError(file, message.lines ?? 0, message.message));
        }
      });
    });
  } finally {
    await parser.terminate();
  }
  if (problem) throw await importErrorAt(path, problem, record);
  return record;
}

type ParserMessage =
  | { kind: 'header'; header: string[] }
  | { kind: 'rows'; rows: Array<Record<string, string>> }
  | { kind: 'end' }
  | { kind: 'error'; message: string; lines?: number };

/** The compiled worker beside this file; none when running from TypeScript source (tests). */
function workerScript(): string | null {
  const compiled = join(__dirname, 'csv-parse.worker.js');
  return __filename.endsWith('.js') && existsSync(compiled) ? compiled : null;
}

/** The same, parsed on this thread. */
async function eachCsvRowInThread(path: string, requiredColumns: string[], onRow: (fields: Record<string, string>, record: number) => void): Promise<number> {
  const { parse } = await import('csv-parse');
  const file = basename(path);
  let record = 0;
  let problem: RowProblem | null = null;
  try {
    await new Promise<void>((resolve, reject) => {
      const source = createReadStream(path);
      const parser = parse({
        ...CSV_OPTIONS,
        columns: (header: string[]) => {
          const missing = requiredColumns.filter((column) => !header.includes(column));
          if (missing.length > 0) throw new ImportError(file, 1, `missing column(s): ${missing.join(', ')}`);
          return header;
        },
      });
      source.on('error', reject);
      parser.on('error', reject);
      parser.on('end', resolve);
      parser.on('data', (fields: Record<string, string>) => {
        try {
          onRow(fields, ++record);
        } catch (error) {
          problem = error instanceof RowProblem ? error : new RowProblem((error as Error).message);
          source.destroy();
          parser.destroy();
          resolve();
        }
      });
      source.pipe(parser);
    });
  } catch (error) {
    if (error instanceof ImportError) throw error;
    const failure = error as { lines?: number; message?: string; code?: string };
    if (failure.code === 'ENOENT') throw new ImportError(file, 0, 'file not found');
    throw new ImportError(file, failure.lines ?? 0, failure.message ?? String(error));
  }
  if (problem) throw await importErrorAt(path, problem, record);
  return record;
}

/** The ImportError for a problem found in record `record` (or the record the problem names). */
export async function importErrorAt(path: string, problem: RowProblem, record: number): Promise<ImportError> {
  return new ImportError(basename(path), await lineOfRecord(path, problem.record ?? record), problem.reason);
}

/** Prints a progress line to stderr every `every` rows. */
export function progress(label: string, every = 100_000): (count: number) => void {
  return (count) => {
    if (count % every === 0) process.stderr.write(`  ${label}: ${count.toLocaleString('en')} rows\n`);
  };
}
