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
    await expect(readSampleEvents(path)).rejects.toThrow(
      `samples file ${path} is not valid JSON at line 1, column 16: Unexpected token '}'`,
    );
  });

  it.each([
    [
      'an unexpected character, which V8 reports with the text around it',
      '[\n  {"ContactId": "a"},\n  {"ContactId": x}\n]',
      3,
      17,
    ],
    ['a file that ends too soon', '[\n  {"ContactId": "a"},\n', 3, 1],
    ['a control character in a string', '{"ContactId": "a\tb"}', 1, 17],
    ['text after the value', '{"ContactId": "a"}\n}', 2, 1],
    ['an empty file', '', 1, 1],
  ])('names the line and column of %s, in one line', async (_name, text, line, column) => {
    // Arrange
    const path = await file('bad.json', text);

    // Act
    const error = (await readSampleEvents(path).then(
      () => undefined,
      (e: unknown) => e,
    )) as Error;

    // Assert
    expect(error).toBeInstanceOf(SamplesFileError);
    expect(error.message).toContain(`samples file ${path} is not valid JSON at line ${line}, column ${column}: `);
    expect(error.message).not.toContain('\n');
  });

  it('reads a file that starts with a UTF-8 byte order mark', async () => {
    // Arrange
    const path = await file('bom.json', '\uFEFF[{"ContactId":"a"}]');

    // Act
    const sample = await readSampleEvents(path);

    // Assert
    expect(sample).toEqual({ file: path, events: [[{ ContactId: 'a' }]], records: 1 });
  });
});
