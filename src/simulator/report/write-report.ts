/** Writes a report file, choosing JSON, JUnit XML or HTML by the file's extension. */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import type { SimulationResult } from '../engine/result.js';
import { jsonReport } from './json-report.js';
import { junitReport } from './junit-report.js';
import { htmlReport } from './html-report.js';
import { SimulatorSetupError } from '../engine/module-loader.js';

export type ReportFormat = 'json' | 'junit' | 'html';

export function reportFormatOf(file: string): ReportFormat | undefined {
  const ext = extname(file).toLowerCase();
  if (ext === '.json') return 'json';
  if (ext === '.xml') return 'junit';
  if (ext === '.html' || ext === '.htm') return 'html';
  return undefined;
}

export async function writeReport(file: string, result: SimulationResult): Promise<void> {
  const format = reportFormatOf(file);
  if (!format) throw new Error(`report file ${file} must end in .json, .xml or .html`);
  try {
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, format === 'json' ? jsonReport(result) : format === 'junit' ? junitReport(result) : htmlReport(result));
  } catch (error) {
    // An unwritable path is the user's to fix: one line naming the file, no stack trace.
    throw new SimulatorSetupError(`cannot write report ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
