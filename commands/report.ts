import './shared/sdk-node-warning';
import { resolve } from 'node:path';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { commandHelp, parseCommandArgs } from './shared/command-args';
import { clientConfig, deploymentArgs, deploymentCommand, refuseDeploymentWithLake } from './shared/deployment-args';
import { LOCAL_DAY_OPTIONS, parseDayRange, parseTimeZone } from './shared/local-days';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';
import { isFunnelAvailable, type ReportData } from './report/report-data';
import { deploymentReportData, lakeReportData } from './report/report-sources';
import { lakeReportPath, writeReport } from './report/write-report';

export const REPORT_COMMAND = deploymentCommand({
  invocation: 'npm run report --',
  synopsis: '[--lake DIR | deployment options] [--from DAY --to DAY] [--out FILE]',
  description: `Writes one self-contained HTML report (charts drawn as SVG, no network needed to open it): calls and CTRs per
day, the dedup funnel, average handle time by queue, abandonment rate per day, contacts by hour and weekday, and
the duplicates audit, each with its numbers in a table. With --lake DIR it reads a kept local lake (DuckDB, and the
runs npm start recorded there); otherwise the deployed stack (Athena, and CloudWatch metrics for the funnel).`,
  options: {
    lake: { type: 'string', placeholder: 'DIR', help: 'report on a kept local lake instead of the deployment' },
    ...LOCAL_DAY_OPTIONS,
    out: {
      type: 'string',
      placeholder: 'FILE',
      help: 'where to write the report (default: DIR/report.html with --lake, else ./ctr-lake-report.html)',
    },
  },
});

export interface ReportClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly athena?: AthenaClient;
  readonly cloudWatch?: CloudWatchClient;
  readonly pollMs?: number;
  /** @default process.cwd() */
  readonly cwd?: string;
  readonly now?: Date;
}

/** `npm run report`: returns the exit code (0 written, 1 failed, 2 usage). */
export async function reportMain(argv: readonly string[], io: CommandIo, clients: ReportClients = {}): Promise<number> {
  try {
    const parsed = parseCommandArgs(REPORT_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(REPORT_COMMAND)}\n`);
      return 0;
    }
    const cwd = clients.cwd ?? process.cwd();
    const days = parseDayRange(parsed.values);
    const timeZone = parseTimeZone(parsed.values);
    const lake = parsed.values.lake;
    let data: ReportData;
    let defaultOut: string;
    if (lake !== undefined) {
      refuseDeploymentWithLake(args, 'reports on');
      const lakeDir = resolve(cwd, lake);
      data = await lakeReportData({
        lakeDir,
        timeZone,
        ...(days ? { days } : {}),
        ...(clients.now ? { now: clients.now } : {}),
      });
      defaultOut = lakeReportPath(lakeDir);
    } else {
      const config = clientConfig(args);
      const stackName = args.stack ?? defaultStackName();
      const outputs = await findStackOutputs(clients.cloudFormation ?? new CloudFormationClient(config), stackName);
      const athena = clients.athena ?? new AthenaClient(config);
      data = await deploymentReportData({
        athena,
        cloudWatch: clients.cloudWatch ?? new CloudWatchClient(config),
        workGroup: outputs.get(OutputKey.AthenaWorkGroup),
        database: outputs.get(OutputKey.GlueDatabase),
        stackName,
        region: await athena.config.region().catch(() => undefined),
        // The stack is named after ctrLake:prefix, and the functions' Powertools services after the prefix too.
        checkerService: `${stackName}-checker`,
        transformService: `${stackName}-transform`,
        timeZone,
        ...(days ? { days } : {}),
        ...(clients.now ? { now: clients.now } : {}),
        ...(clients.pollMs !== undefined ? { pollMs: clients.pollMs } : {}),
        onQuery: (name) => io.stderr.write(`Running ${name} in workgroup ${outputs.get(OutputKey.AthenaWorkGroup)}\n`),
      });
      defaultOut = resolve(cwd, 'ctr-lake-report.html');
    }
    const path = await writeReport(
      data,
      parsed.values.out !== undefined ? resolve(cwd, parsed.values.out) : defaultOut,
    );
    io.stdout.write(
      args.json
        ? `${JSON.stringify({ report: path, ...data, generatedAt: data.generatedAt.toISOString() }, null, 2)}\n`
        : `Report: ${path}\n${isFunnelAvailable(data.funnel) ? '' : `(dedup funnel not available: ${data.funnel.unavailable})\n`}`,
    );
    return 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

if (require.main === module) runAsProcess((argv, io) => reportMain(argv, io));
