import './shared/sdk-node-warning';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { resolve } from 'node:path';
import { SecretsManagerKeyProvider } from '../lambda/transform/pii/adapters/secrets-manager-key-provider';
import { pseudonymOf } from '../lambda/transform/pii/pseudonym';
import type { PseudonymKey } from '../lambda/transform/pii/pseudonym-key';
import { readLocalKey } from '../local-aws/pii/local-key';
import { commandHelp, parseCommandArgs, usageLine, UsageError } from './shared/command-args';
import { reportFailure, runAsProcess, type CommandIo } from './shared/command-io';
import { clientConfig, deploymentCommand, deploymentArgs } from './shared/deployment-args';
import { defaultStackName, findStackOutputs, OutputKey } from './shared/stack-outputs';

export const PSEUDONYM_COMMAND = deploymentCommand({
  invocation: 'npm run pseudonym --',
  synopsis: 'VALUE... [options]',
  description: `Prints the pseudonym the lake stores for each VALUE (a phone number such as +15551234567, or the value of an
attribute named in ctrLake:piiAttributeKeys), made with the deployment's key, read from its Secrets Manager secret
(your credentials need secretsmanager:GetSecretValue on it and kms:Decrypt with the lake key), or with a local
lake's key (--lake DIR). For support cases: find a caller's rows without the lake holding the number.`,
  options: {
    lake: {
      type: 'string',
      placeholder: 'DIR',
      help: "use the key of a local lake (npm start -- --lake DIR) instead of the deployment's",
    },
  },
  positionals: { name: 'VALUE to pseudonymise', min: 1, max: Infinity },
});

export interface PseudonymClients {
  readonly cloudFormation?: CloudFormationClient;
  readonly secretsManager?: SecretsManagerClient;
  /** Where a relative --lake is. @default process.cwd() */
  readonly cwd?: string;
}

export interface PseudonymAnswer {
  readonly keyVersion: number;
  /** Where the key came from: the secret's ARN or the local key file. */
  readonly key: string;
  readonly pseudonyms: readonly { readonly value: string; readonly pseudonym: string }[];
}

/** `npm run pseudonym -- VALUE...`: returns the exit code (0 done, 1 failed, 2 usage). */
export async function pseudonymMain(
  argv: readonly string[],
  io: CommandIo,
  clients: PseudonymClients = {},
): Promise<number> {
  try {
    const parsed = parseCommandArgs(PSEUDONYM_COMMAND, argv);
    const args = deploymentArgs(parsed);
    if (args.help) {
      io.stdout.write(`${commandHelp(PSEUDONYM_COMMAND)}\n`);
      return 0;
    }
    const lake = parsed.values.lake;
    if (lake !== undefined && (args.stack ?? args.profile ?? args.region) !== undefined) {
      throw new UsageError(
        "--lake uses a local lake's key; --stack, --profile and --region are for a deployment: give one or the other",
        usageLine(PSEUDONYM_COMMAND),
      );
    }
    const { key, source } =
      lake !== undefined
        ? await localKey(resolve(clients.cwd ?? process.cwd(), lake))
        : await deployedKey(args, clients);
    const answer: PseudonymAnswer = {
      keyVersion: key.version,
      key: source,
      pseudonyms: args.positionals.map((value) => ({ value, pseudonym: pseudonymOf(key.material, value) })),
    };
    io.stdout.write(args.json ? `${JSON.stringify(answer, null, 2)}\n` : renderAnswer(answer));
    return 0;
  } catch (error) {
    return reportFailure(io, error);
  }
}

async function localKey(lakeDir: string): Promise<{ key: PseudonymKey; source: string }> {
  const local = await readLocalKey(lakeDir);
  return { key: local.key, source: local.path };
}

async function deployedKey(
  args: Parameters<typeof clientConfig>[0] & { readonly stack?: string },
  clients: PseudonymClients,
): Promise<{ key: PseudonymKey; source: string }> {
  const config = clientConfig(args);
  const outputs = await findStackOutputs(
    clients.cloudFormation ?? new CloudFormationClient(config),
    args.stack ?? defaultStackName(),
  );
  const secretArn = outputs.get(OutputKey.PseudonymKeySecretArn);
  const secretsManager = clients.secretsManager ?? new SecretsManagerClient(config);
  return { key: await new SecretsManagerKeyProvider(secretsManager, secretArn).load(), source: secretArn };
}

function renderAnswer(answer: PseudonymAnswer): string {
  const width = Math.max(...answer.pseudonyms.map(({ value }) => value.length));
  const lines = answer.pseudonyms.map(({ value, pseudonym }) => `${value.padEnd(width)}  ${pseudonym}`);
  const first = answer.pseudonyms[0]!.pseudonym;
  return (
    `${lines.join('\n')}\n` +
    `(key version ${answer.keyVersion}, ${answer.key}; rows of other key versions have other pseudonyms)\n` +
    `Find the caller's contacts: SELECT contact_id, initiation_timestamp FROM ctr_latest ` +
    `WHERE customer_endpoint = '${first}'\n`
  );
}

if (require.main === module) runAsProcess((argv, io) => pseudonymMain(argv, io));
