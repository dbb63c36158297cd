import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { JsonObject } from './ctr-builder';
import { duplicatedSampleCtrs, singleSampleCtrs } from './sample-contacts';

/**
 * Renders the synthetic samples to `samples/`. Run `npx tsx rigs/synthetic/write-samples.ts` after changing a
 * spec; test/unit/rigs/samples.test.ts fails while the files and the specs disagree.
 */

/** One compact record per line, like the public seed, so each line's bytes are the record's canonical JSON. */
export function renderRecordLines(records: readonly JsonObject[]): string {
  return `[\n${records.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`;
}

/** Pretty-printed: these are read by people and pasted into the Lambda console. */
export function renderPretty(value: JsonObject | readonly JsonObject[]): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Every sample file, relative to the samples directory, with its content. */
export function sampleFiles(): Record<string, string> {
  const files: Record<string, string> = { 'duplicated-ctrs.json': renderRecordLines(duplicatedSampleCtrs()) };
  for (const [name, content] of Object.entries(singleSampleCtrs())) files[`ctrs/${name}.json`] = renderPretty(content);
  return files;
}

export const SAMPLES_DIR = resolve(__dirname, '..', '..', 'samples');

if (require.main === module) {
  for (const [file, content] of Object.entries(sampleFiles())) {
    const path = join(SAMPLES_DIR, file);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    console.log(`wrote ${path}`);
  }
}
