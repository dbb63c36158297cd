import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { JsonObject } from './ctr-builder';
import { iterateCtrs } from './ctr-generator';

/**
 * Writes a synthetic CTR history as Connect → Firehose → S3 leaves it, to measure a backfill on: one GZIP object per
 * hour of initiation under `YYYY/MM/DD/HH/`, named like Firehose's objects, each record's compact JSON right after the
 * previous one with no newline. Seeded: the same arguments write the same bytes.
 *
 *   npx tsx rigs/synthetic/write-history.ts DIR [CONTACTS] [DAYS]
 */
export function writeHistory(dir: string, contacts: number, days: number): { records: number; objects: number } {
  let records = 0;
  let objects = 0;
  let hour: string | undefined;
  let batch: JsonObject[] = [];
  const flush = (): void => {
    if (hour === undefined || batch.length === 0) return;
    const [date, time] = hour.split('T') as [string, string];
    const path = join(dir, ...date.split('-'), time);
    mkdirSync(path, { recursive: true });
    const name = `ctr-export-1-${date}-${time}-00-00-${String(objects).padStart(6, '0')}.gz`;
    writeFileSync(join(path, name), gzipSync(batch.map((ctr) => JSON.stringify(ctr)).join('')));
    objects += 1;
    batch = [];
  };
  for (const ctr of iterateCtrs({ seed: 11, contacts, days })) {
    const at = String(ctr.InitiationTimestamp).slice(0, 13);
    if (at !== hour) {
      flush();
      hour = at;
    }
    batch.push(ctr);
    records += 1;
  }
  flush();
  return { records, objects };
}

if (require.main === module) {
  const [dir, contacts = '10000', days = '7'] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: npx tsx rigs/synthetic/write-history.ts DIR [CONTACTS] [DAYS]\n');
    process.exitCode = 2;
  } else {
    const written = writeHistory(resolve(dir), Number(contacts), Number(days));
    process.stdout.write(`wrote ${written.records} CTRs in ${written.objects} objects under ${resolve(dir)}\n`);
  }
}
