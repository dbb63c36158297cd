import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SourceError } from '../../../local-aws/ctr-sources/read-ctrs';
import { LocalPipeline } from '../../../local-aws/pipeline/local-pipeline';
import { runLocalPipeline } from '../../../local-aws/pipeline/run-pipeline';

/**
 * What runLocalPipeline settles before any server starts. The content of the samples is read as a stream once the
 * pipeline runs (malformed pieces are reported and the rest is sent: test/e2e/local-pipeline.test.ts), but every path
 * is listed first, so a typo costs no server start.
 */
describe('runLocalPipeline: samples paths', () => {
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

  it('refuses a path that does not exist before any server starts, whatever comes before it', async () => {
    // Arrange
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify([{ ContactId: 'a' }]));
    const missing = join(dir, 'missing.jsonl');

    // Act
    const run = runLocalPipeline({ lakeDir: join(dir, 'lake'), samples: [good, missing] });

    // Assert
    await expect(run).rejects.toBeInstanceOf(SourceError);
    await expect(run).rejects.toThrow(`cannot read ${missing}: no such file or directory`);
    expect(start).not.toHaveBeenCalled();
  });

  it('names relative paths as given, from the working directory it is told', async () => {
    // Act
    const run = runLocalPipeline({ lakeDir: join(dir, 'lake'), samples: ['nowhere/x.json'], cwd: dir });

    // Assert
    await expect(run).rejects.toThrow('cannot read nowhere/x.json: no such file or directory');
    expect(start).not.toHaveBeenCalled();
  });
});
