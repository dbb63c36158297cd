import { costMain } from '../../../commands/cost';
import { wrap } from '../../../commands/cost/render-cost';
import { captureIo } from './deployment-fixtures';

describe('npm run cost', () => {
  it('prints the monthly cost by service, storage by month and the list-price assumptions, within 120 columns', async () => {
    const { out, io } = captureIo();

    const code = await costMain(['--ctrs-per-day', '50000'], io);

    expect(code).toBe(0);
    const lines = out.stdout.split('\n');
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(120);
    expect(out.stdout).toMatch(/^ctr-lake monthly cost estimate, USD, list prices us-east-1 as of \d{4}-\d{2}-\d{2}$/m);
    expect(out.stdout).toMatch(/^ {2}Kinesis Data Streams, on-demand\s+29\.\d\d$/m);
    expect(out.stdout).toMatch(/^ {2}Total before storage\s+\d+\.\d\d$/m);
    expect(out.stdout).toMatch(/^ {2}Lambda \+ S3, nightly compaction\s+0\.\d+$/m);
    expect(out.stdout.replace(/\n +/g, ' ')).toMatch(
      /The nightly compaction keeps 1 object a day of about 24 MB \(Firehose writes 1,440 of about 17 KB\)\. Lifecycle: Standard, Intelligent-Tiering at 30 d/,
    );
    expect(out.stdout).toMatch(/^ {3}12 {2}/m);
    expect(out.stdout).toContain('List-price assumptions (lib/cost/price-list.ts');
  });

  it("says when even a compacted day is under S3's 128 KB transition minimum", async () => {
    const { out, io } = captureIo();

    await costMain(['--ctrs-per-day', '200'], io);

    expect(out.stdout.replace(/\n +/g, ' ')).toContain(
      "Lifecycle: none applies: they are under S3's 128 KB transition minimum, so they stay in Standard",
    );
  });

  it('prints both dedup stores side by side and the volume above which Valkey is the cheaper', async () => {
    const { out, io } = captureIo();

    await costMain(['--ctrs-per-day', '1000000'], io);

    expect(out.stdout).toMatch(/^dynamodb \*\s+\d/m);
    expect(out.stdout).toMatch(/^valkey\s+\d/m);
    expect(out.stdout).toMatch(
      /^Valkey is (the cheaper above [\d,]+ CTRs a day|never the cheaper: DynamoDB costs less at every volume)\.$/m,
    );
  });

  it('prints every figure as JSON, the total the sum of the services', async () => {
    const { out, io } = captureIo();

    await costMain(
      ['--ctrs-per-day', '200000', '--avg-kb', '4', '--stream-mode', 'provisioned', '--months', '3', '--json'],
      io,
    );
    const estimate = JSON.parse(out.stdout) as {
      request: { ctrBytes: number; streamMode: string };
      services: Record<string, number>;
      storage: unknown[];
      shards: number;
      dedupStores: { valkeyCheaper: { kind: string }; months: Record<string, { total: number }> };
    };

    const { total, ...services } = estimate.services;
    expect(estimate.request).toMatchObject({ ctrBytes: 4096, streamMode: 'provisioned' });
    expect(estimate.shards).toBe(1);
    expect(estimate.storage).toHaveLength(3);
    expect(['never', 'above']).toContain(estimate.dedupStores.valkeyCheaper.kind);
    expect(services.dedupStore).toBeCloseTo(estimate.dedupStores.months.dynamodb!.total - services.checkerLambda!, 9);
    expect(total).toBeCloseTo(
      Object.values(services).reduce((a, b) => a + b, 0),
      9,
    );
  });

  it.each([
    [[], /--ctrs-per-day N is required/],
    [['--ctrs-per-day', 'many'], /--ctrs-per-day must be an integer/],
    [['--ctrs-per-day', '10', '--avg-kb', '0'], /--avg-kb must be a number from 0.1 to 1024/],
    [['--ctrs-per-day', '10', '--stream-mode', 'fast'], /--stream-mode must be one of on-demand, provisioned/],
    [['--ctrs-per-day', '10', '--months', '0'], /--months must be an integer from 1 to 120/],
  ])('refuses %j with one line and exit code 2', async (argv, message) => {
    const { out, io } = captureIo();

    expect(await costMain(argv, io)).toBe(2);
    expect(out.stderr).toMatch(message);
  });
});

describe('wrap', () => {
  it('wraps prose at the width, continuing two spaces further in', () => {
    expect(wrap('  one two three four', 12)).toEqual(['  one two', '    three', '    four']);
  });
});
