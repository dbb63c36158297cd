import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { createCtrLakeApp } from '../../lib/ctr-lake-app';
import { cdkJsonContext } from './support/infra-test-app';

const REPO_ROOT = path.resolve(__dirname, '..', '..');

interface ValidationReport {
  pluginReports: { pluginName: string; violations?: { ruleName: string; severity: string }[] }[];
}

const tempDirs: string[] = [];

function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * Synthesizes the whole app, as `cdk synth` does, with cdk-nag registered; returns the validation report, the
 * templates and the assets bundled (aws-cdk-lib prints one `Bundling asset <path>...` line on stderr for each).
 */
function synthesize(overrides: Record<string, unknown>): {
  report: ValidationReport;
  templates: string[];
  bundled: string[];
} {
  const outdir = tempDir('ctr-lake-synth-');
  const stderr = jest.spyOn(process.stderr, 'write');
  try {
    const { app } = createCtrLakeApp({ context: { ...cdkJsonContext(), ...overrides }, outdir });
    const assembly = app.synth();
    const report = JSON.parse(fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'));
    const templates = fs.readdirSync(assembly.directory).filter((file) => file.endsWith('.template.json'));
    const bundled = stderr.mock.calls.flatMap(
      ([chunk]) => /^Bundling asset (\S+)\.\.\./.exec(String(chunk))?.[1] ?? [],
    );
    return { report, templates, bundled };
  } finally {
    stderr.mockRestore();
  }
}

describe('the ctr-lake app', () => {
  it('synthesizes the cdk.json configuration with cdk-nag AwsSolutions checks and no finding left', () => {
    const { report, templates, bundled } = synthesize({});

    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
    expect(templates).toHaveLength(3);
    // Each of the four handlers (the compaction job's included: ctrLake:compaction is on by default) is bundled once.
    expect(bundled.sort()).toEqual([
      'CtrLake/Stateless/Compaction/Compaction/Function/Code/Stage',
      'CtrLake/Stateless/DuplicateChecker/Checker/Function/Code/Stage',
      'CtrLake/Stateless/Emulator/Emulator/Function/Code/Stage',
      'CtrLake/Stateless/LakeDelivery/Transform/Function/Code/Stage',
    ]);
  });

  it('synthesizes the dev variant (JSON lake, destroy, e-mail alarms, provisioned stream) with no finding left', () => {
    const { report } = synthesize({
      'ctrLake:prefix': 'ctr-dev',
      'ctrLake:lakeFormat': 'json',
      'ctrLake:removalPolicy': 'destroy',
      'ctrLake:alarmEmail': 'ops@example.com',
      'ctrLake:streamMode': 2,
    });

    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
  });

  it('synthesizes the Valkey dedup store variant (VPC, ElastiCache Serverless, endpoint) with no finding left', () => {
    const { report } = synthesize({ 'ctrLake:dedupStore': 'valkey', 'ctrLake:checkerParallelization': 10 });

    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
  });

  it('synthesizes attached to a Connect instance, in its account and region, with no finding left', () => {
    const instanceArn = 'arn:aws:connect:us-east-1:123456789012:instance/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const outdir = tempDir('ctr-lake-synth-');
    const { app, stack } = createCtrLakeApp({
      context: { ...cdkJsonContext(), 'ctrLake:connectInstanceArn': instanceArn },
      outdir,
    });

    const assembly = app.synth();
    const report = JSON.parse(
      fs.readFileSync(path.join(assembly.directory, 'validation-report.json'), 'utf8'),
    ) as ValidationReport;

    expect(report.pluginReports.flatMap((plugin) => plugin.violations ?? [])).toEqual([]);
    expect({ account: stack.account, region: stack.region }).toEqual({ account: '123456789012', region: 'us-east-1' });
    expect(assembly.getStackArtifact(stack.artifactId).environment).toMatchObject({
      account: '123456789012',
      region: 'us-east-1',
    });
  });

  it('fails synth on an unacknowledged cdk-nag finding: the checks run on every synth', () => {
    const outdir = tempDir('ctr-lake-synth-');
    const { app, stack } = createCtrLakeApp({ context: cdkJsonContext(), outdir });
    new sqs.Queue(stack.stateless, 'PlainQueue', { encryption: sqs.QueueEncryption.UNENCRYPTED });

    expect(() => app.synth()).toThrow(/AwsSolutions-SQS4/);
  });

  it('refuses invalid context before synthesizing, naming the key, the value and what is allowed', () => {
    const outdir = tempDir('ctr-lake-cli-');

    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'bin', 'app.ts')], {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        CDK_OUTDIR: outdir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'ctrLake:lakeFormat': 'csv', 'ctrLake:checkerBatchSize': 0 }),
      },
      encoding: 'utf8',
    });

    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      '"ctrLake:lakeFormat": received the string "csv"; allowed: one of "parquet", "json"',
    );
    expect(result.stderr).toContain(
      '"ctrLake:checkerBatchSize": received 0 (number); allowed: an integer from 1 to 10000',
    );
    expect(result.stderr).not.toContain('    at ');
    expect(fs.readdirSync(outdir)).toEqual([]);
  });
});
