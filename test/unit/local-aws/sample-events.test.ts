import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSampleEvents, RECORDS_PER_EVENT, SamplesFileError } from '../../../local-aws/pipeline/sample-events';

describe('readSampleEvents', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'samples-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('splits a large array into emulator events of at most RECORDS_PER_EVENT records', async () => {
    // Arrange
    const records = Array.from({ length: RECORDS_PER_EVENT + 1 }, (_, i) => ({ ContactId: `c-${i}` }));
    const path = await file('many.json', JSON.stringify(records));

    // Act
    const sample = await readSampleEvents(path);

    // Assert
    expect(sample.records).toBe(RECORDS_PER_EVENT + 1);
    expect(sample.events.map((e) => (e as unknown[]).length)).toEqual([RECORDS_PER_EVENT, 1]);
  });

  it('sends a single CTR or a { records } wrapper as one event', async () => {
    // Arrange
    const path = await file('wrapped.json', JSON.stringify({ records: [{ ContactId: 'a' }, { ContactId: 'b' }] }));

    // Act
    const sample = await readSampleEvents(path);

    // Assert
    expect(sample).toEqual({ file: path, events: [{ records: [{ ContactId: 'a' }, { ContactId: 'b' }] }], records: 2 });
  });

  it('says the file does not exist', async () => {
    // Arrange
    const path = join(dir, 'missing.json');

    // Act
    const read = readSampleEvents(path);

    // Assert
    await expect(read).rejects.toBeInstanceOf(SamplesFileError);
    await expect(read).rejects.toThrow(`cannot read samples file ${path}: no such file`);
  });

  it('says the file is not JSON and where', async () => {
    // Arrange
    const path = await file('broken.json', '[{"ContactId": }]');

    // Act / Assert
    await expect(readSampleEvents(path)).rejects.toThrow(/broken\.json is not valid JSON: Unexpected token/);
  });
});
