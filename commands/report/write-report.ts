import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { renderReport } from './render-report';
import type { ReportData } from './report-data';

/** The report's file name inside a lake directory. */
export const REPORT_FILE = 'report.html';

export function lakeReportPath(lakeDir: string): string {
  return join(lakeDir, REPORT_FILE);
}

/** Renders the report and writes it to `path` (its directory made if needed); returns the path. */
export async function writeReport(data: ReportData, path: string): Promise<string> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderReport(data));
  return path;
}
