import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CtrLakeConfigError } from '../../../lib/config/context-values';
import { readStackSettings } from '../../../local-aws/pipeline/stack-settings';

describe('readStackSettings', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cdk-json-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const cdkJson = async (context: Record<string, unknown>): Promise<string> => {
    const path = join(dir, `${Object.keys(context).join('-') || 'empty'}.json`);
    await writeFile(path, JSON.stringify({ app: 'x', context }));
    return path;
  };

  it("takes the stack's format, dedup and checker settings from cdk.json", async () => {
    // Arrange
    const path = await cdkJson({
      'ctrLake:lakeFormat': 'json',
      'ctrLake:dedupTtlHours': 48,
      'ctrLake:checkerBatchSize': 25,
      'ctrLake:checkerRetryAttempts': 3,
      'ctrLake:streamMode': 4,
      'ctrLake:reportingTimeZone': 'Asia/Seoul',
      'ctrLake:projectionStartYear': 2020,
      'ctrLake:piiMode': 'drop',
      'ctrLake:piiAttributeKeys': ['callerName'],
      'ctrLake:piiKeyVersion': 3,
    });

    // Act / Assert
    expect(readStackSettings(path)).toEqual({
      format: 'json',
      dedupTtlHours: 48,
      maxRecordAgeHours: 24,
      dedupKeyStrategy: 'content',
      batchSize: 25,
      parallelizationFactor: 1,
      maximumRetryAttempts: 3,
      shardCount: 4,
      reportingTimeZone: 'Asia/Seoul',
      projectionStartYear: 2020,
      pii: { mode: 'drop', attributeKeys: ['callerName'], keyVersion: 3 },
    });
  });

  it('runs an on-demand stream with one shard', async () => {
    // Act / Assert
    expect(readStackSettings(await cdkJson({})).shardCount).toBe(1);
  });

  it('refuses a value the stack would refuse, with the same error', async () => {
    // Arrange
    const path = await cdkJson({ 'ctrLake:lakeFormat': 'csv' });

    // Act / Assert
    expect(() => readStackSettings(path)).toThrow(CtrLakeConfigError);
  });
});
