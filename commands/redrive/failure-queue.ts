import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ON_FAILURE_DIR } from '../../local-aws/pipeline/on-failure';

/** One on-failure message, whatever holds it. */
export interface FailureMessage {
  /** Stable within a run: the SQS MessageId, or the file name. */
  readonly id: string;
  readonly body: string;
}

/**
 * Where the on-failure messages are: the deployment's SQS queue, or a local lake's on-failure directory. The redrive
 * reads them in pages until none is left, removes each once its range is dealt with, and keeps the others for a later
 * run.
 */
export interface FailureQueue {
  /** For reports: the queue URL or the directory. */
  readonly description: string;
  /** The next messages this run has not seen yet; empty when there are none left. */
  next(): Promise<FailureMessage[]>;
  /** The message's range is back on the stream (or past saving): delete it. */
  remove(message: FailureMessage): Promise<void>;
  /** Leave the message for a later run. */
  keep(message: FailureMessage): Promise<void>;
  /** End of the run: kept messages become available again. */
  close(): Promise<void>;
}

/** How long a received message stays hidden from other readers while this run works on it. */
export const REDRIVE_VISIBILITY_SECONDS = 900;

/**
 * The deployment's on-failure queue (the event source mapping's SqsDlq). Messages stay hidden while the run works
 * (REDRIVE_VISIBILITY_SECONDS), so pages never repeat; kept ones are made visible again at the end. Long polling
 * (1 s) asks every SQS server, so an empty page means the queue is empty, not that a short poll missed messages.
 */
export class SqsFailureQueue implements FailureQueue {
  private readonly seen = new Set<string>();
  private readonly receipts = new Map<string, string>();
  private readonly kept: string[] = [];

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  get description(): string {
    return this.queueUrl;
  }

  async next(): Promise<FailureMessage[]> {
    const answer = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.queueUrl,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: 1,
        VisibilityTimeout: REDRIVE_VISIBILITY_SECONDS,
      }),
    );
    // A page of messages seen already (a run longer than the visibility timeout) ends the run as an empty one does:
    // the rest is for the next run, never read twice in this one.
    const fresh: FailureMessage[] = [];
    for (const message of answer.Messages ?? []) {
      if (!message.MessageId || !message.ReceiptHandle) continue;
      this.receipts.set(message.MessageId, message.ReceiptHandle);
      if (this.seen.has(message.MessageId)) continue;
      this.seen.add(message.MessageId);
      fresh.push({ id: message.MessageId, body: message.Body ?? '' });
    }
    return fresh;
  }

  async remove(message: FailureMessage): Promise<void> {
    await this.client.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: this.receipt(message) }));
  }

  async keep(message: FailureMessage): Promise<void> {
    this.kept.push(message.id);
  }

  async close(): Promise<void> {
    for (const id of this.kept.splice(0)) {
      const receiptHandle = this.receipts.get(id);
      if (receiptHandle === undefined) continue;
      await this.client
        .send(
          new ChangeMessageVisibilityCommand({
            QueueUrl: this.queueUrl,
            ReceiptHandle: receiptHandle,
            VisibilityTimeout: 0,
          }),
        )
        // Not fatal: the message becomes visible again when its visibility timeout ends anyway.
        .catch(() => undefined);
    }
  }

  private receipt(message: FailureMessage): string {
    const receiptHandle = this.receipts.get(message.id);
    if (receiptHandle === undefined) throw new Error(`message ${message.id} was not received in this run`);
    return receiptHandle;
  }
}

/** A local lake's on-failure directory (`<lake>/on-failure/kinesis/*.json`), as the local event source writes it. */
export class DirectoryFailureQueue implements FailureQueue {
  private listed = false;
  readonly description: string;

  constructor(lakeDir: string) {
    this.description = join(lakeDir, ON_FAILURE_DIR, 'kinesis');
  }

  async next(): Promise<FailureMessage[]> {
    if (this.listed) return [];
    this.listed = true;
    let names: string[];
    try {
      names = (await readdir(this.description)).filter((name) => name.endsWith('.json')).sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return Promise.all(
      names.map(async (name) => ({ id: name, body: await readFile(join(this.description, name), 'utf8') })),
    );
  }

  async remove(message: FailureMessage): Promise<void> {
    await unlink(join(this.description, message.id));
  }

  async keep(): Promise<void> {
    // The file stays where it is.
  }

  async close(): Promise<void> {
    // Nothing held.
  }
}
