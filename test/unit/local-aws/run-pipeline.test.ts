import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LocalPipeline } from '../../../local-aws/pipeline/local-pipeline';
import { runLocalPipeline } from '../../../local-aws/pipeline/run-pipeline';
import { RECORDS_PER_EVENT, SamplesFileError } from '../../../local-aws/pipeline/sample-events';

describe('runLocalPipeline: samples files', () => {
  let dir: string;
  let start: jest.SpiedFunction<typeof LocalPipeline.start>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'run-pipeline-'));
  });
  beforeEach(() => {
    start = jest.spyOn(LocalPipeline, 'start').mockRejectedValue(new Error('no server may start in this test'));
  });
  afterEach(() => {
    start.mockRestore();
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (name: string, content: unknown): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, typeof content === 'string' ? content : JSON.stringify(content));
    return path;
  };

  it('checks every file as the emulator would before any server starts, and names the record in the file', async () => {
    // Arrange: a good file, then one whose record after the first emulator event has no ContactId
    const good = await file('good.json', [{ ContactId: 'a' }]);
    const records = Array.from({ length: RECORDS_PER_EVENT + 2 }, (_, i) => ({ ContactId: `c-${i}` }));
    records[RECORDS_PER_EVENT + 1] = { ContactId: undefined as unknown as string };
    const bad = await file('bad.json', records);

    // Act
    const run = runLocalPipeline({ lakeDir: join(dir, 'lake'), samples: [good, bad] });

    // Assert
    await expect(run).rejects.toThrow(SamplesFileError);
    await expect(run).rejects.toThrow(
      `the emulator refused samples file ${bad}: record ${RECORDS_PER_EVENT + 1}: expected a string ContactId`,
    );
    expect(start).not.toHaveBeenCalled();
  });

  it('reads every file before any server starts', async () => {
    // Arrange
    const good = await file('fine.json', [{ ContactId: 'a' }]);
    const broken = await file('broken.json', '[{"ContactId": "a"},\n');

    // Act
    const run = runLocalPipeline({ lakeDir: join(dir, 'lake'), samples: [good, broken] });

    // Assert
    await expect(run).rejects.toThrow(`samples file ${broken} is not valid JSON at line 2, column 1`);
    expect(start).not.toHaveBeenCalled();
  });

  it('refuses an empty array with the emulator message', async () => {
    // Arrange
    const empty = await file('empty.json', []);

    // Act / Assert
    await expect(runLocalPipeline({ lakeDir: join(dir, 'lake'), samples: [empty] })).rejects.toThrow(
      `the emulator refused samples file ${empty}: the event holds no records`,
    );
    expect(start).not.toHaveBeenCalled();
  });
});
