/**
 * Parses one CSV file off the main thread and posts its records in batches, so that
 * csv-parse (the slowest part of a bulk import) runs beside the validation and inserts.
 */
import { parse } from 'csv-parse';
import { createReadStream } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const BATCH = 2000;
const { path } = workerData as { path: string };
const parser = createReadStream(path).pipe(parse({ bom: true, skip_empty_lines: true, columns: true }));
let batch: Array<Record<string, string>> = [];
let headerSent = false;

parser.on('data', (record: Record<string, string>) => {
  if (!headerSent) {
    parentPort!.postMessage({ kind: 'header', header: Object.keys(record) });
    headerSent = true;
  }
  batch.push(record);
  if (batch.length === BATCH) {
    parentPort!.postMessage({ kind: 'rows', rows: batch });
    batch = [];
  }
});
parser.on('end', () => {
  if (batch.length > 0) parentPort!.postMessage({ kind: 'rows', rows: batch });
  parentPort!.postMessage({ kind: 'end' });
});
parser.on('error', (error: Error & { code?: string; lines?: number }) => {
  parentPort!.postMessage({ kind: 'error', message: error.message, code: error.code, lines: error.lines });
});
