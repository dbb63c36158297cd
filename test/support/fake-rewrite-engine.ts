import { readFile, writeFile } from 'node:fs/promises';
import type { RewriteEngine, RowCounts } from '../../lambda/compaction/ports';

/**
 * A RewriteEngine over a toy format: a file is JSON lines of `{ "fingerprint": …, "n": … }` (or `null` fingerprints).
 * It keeps the first row of each fingerprint and spreads fingerprints over the outputs by their first character.
 * `sabotage` makes it drop or duplicate a row, to check that the core refuses to publish a wrong rewrite.
 */
export class FakeRewriteEngine implements RewriteEngine {
  sabotage: 'none' | 'drop-row' | 'duplicate-row' | 'invent-row' = 'none';
  rewrites = 0;

  async count(files: readonly string[]): Promise<RowCounts> {
    const perFile = await Promise.all(files.map(readRows));
    const all = perFile.flat();
    return {
      rows: all.length,
      distinctFingerprints: new Set(all.filter((r) => r.fingerprint !== null).map((r) => r.fingerprint)).size,
      rowsWithoutFingerprint: all.filter((r) => r.fingerprint === null).length,
      rowsPerFile: perFile.map((rows) => rows.length),
    };
  }

  async countMissing(expected: readonly string[], actual: readonly string[]): Promise<number> {
    const present = new Set((await Promise.all(actual.map(readRows))).flat().map((r) => r.fingerprint));
    const wanted = new Set((await Promise.all(expected.map(readRows))).flat().map((r) => r.fingerprint));
    return [...wanted].filter((fingerprint) => !present.has(fingerprint)).length;
  }

  async rewrite(inputs: readonly string[], _format: unknown, outputs: readonly string[]): Promise<void> {
    this.rewrites += 1;
    const kept = new Map<string, ToyRow>();
    for (const row of (await Promise.all(inputs.map(readRows))).flat()) {
      if (row.fingerprint !== null && !kept.has(row.fingerprint)) kept.set(row.fingerprint, row);
    }
    const rows = [...kept.values()];
    if (this.sabotage === 'drop-row') rows.pop();
    if (this.sabotage === 'duplicate-row' && rows[0]) rows.push(rows[0]);
    if (this.sabotage === 'invent-row' && rows[0]) rows[0] = { ...rows[0], fingerprint: 'invented' };
    await Promise.all(
      outputs.map((output, i) =>
        writeFile(output, toyFile(rows.filter((row) => (row.fingerprint ?? '').charCodeAt(0) % outputs.length === i))),
      ),
    );
  }
}

export interface ToyRow {
  readonly fingerprint: string | null;
  readonly n?: number;
}

export function toyFile(rows: readonly ToyRow[]): Buffer {
  return Buffer.from(rows.map((row) => `${JSON.stringify(row)}\n`).join(''));
}

async function readRows(file: string): Promise<ToyRow[]> {
  const text = (await readFile(file)).toString('utf8');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as ToyRow);
}
