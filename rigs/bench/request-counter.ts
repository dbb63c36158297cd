import type {
  FinalizeHandler,
  FinalizeHandlerArguments,
  HandlerExecutionContext,
  MiddlewareStack,
} from '@smithy/types';

/** One line of a request tally: how many HTTP requests of one operation ended one way. */
export interface RequestTally {
  readonly service: string;
  /** The SDK command name without `Command`, e.g. `PutItem`. */
  readonly operation: string;
  /** `ok`, or the service error name, e.g. `ConditionalCheckFailedException`. */
  readonly outcome: string;
  readonly count: number;
}

const MIDDLEWARE_NAME = 'ctrLakeBenchRequestCounter';

/** The tally line that counts the items BatchWriteItem requests wrote (the requests count under `BatchWriteItem`). */
export const BATCH_WRITE_ITEMS = 'BatchWriteItem:items';

type WriteBatch = { readonly RequestItems?: Record<string, readonly unknown[]> };
type WriteBatchOutput = { readonly UnprocessedItems?: Record<string, readonly unknown[]> };

/** Items a BatchWriteItem request asked for, less those DynamoDB left unprocessed (not written, not billed). */
function batchItemsWritten(input: unknown, output: unknown): number {
  const count = (items: Record<string, readonly unknown[]> | undefined): number =>
    Object.values(items ?? {}).reduce((sum, list) => sum + list.length, 0);
  return count((input as WriteBatch).RequestItems) - count((output as WriteBatchOutput | undefined)?.UnprocessedItems);
}

/**
 * Counts the HTTP requests SDK clients make, per service, operation and outcome, with a middleware at the end of
 * the `finalizeRequest` step. There it runs once per attempt, inside the SDK's retry middleware (which sits at the
 * step's start), so a retried call counts every request AWS would bill; and it sits outside the `deserialize` step,
 * so a service error reaches it thrown, with its modelled name (a failed conditional write is billed like a
 * successful one, and the cost model needs to tell them apart).
 */
export class RequestCounter {
  private readonly counts = new Map<string, RequestTally>();

  /** Adds the counting middleware to an AWS SDK v3 client (all it needs is the client's middleware stack). */
  attach<I extends object, O extends object>(
    client: { readonly middlewareStack: MiddlewareStack<I, O> },
    service: string,
  ): void {
    client.middlewareStack.add(
      (next: FinalizeHandler<I, O>, context: HandlerExecutionContext) => async (args: FinalizeHandlerArguments<I>) => {
        const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
        try {
          const result = await next(args);
          this.record(service, operation, 'ok');
          if (operation === 'BatchWriteItem') {
            // Billed per item written, not per request: count the items DynamoDB processed.
            const items = batchItemsWritten(args.input, (result as { output?: unknown }).output);
            if (items > 0) this.record(service, BATCH_WRITE_ITEMS, 'ok', items);
          }
          return result;
        } catch (error) {
          this.record(service, operation, error instanceof Error ? error.name : 'UnknownError');
          throw error;
        }
      },
      { step: 'finalizeRequest', priority: 'low', name: MIDDLEWARE_NAME, override: true },
    );
  }

  record(service: string, operation: string, outcome: string, count = 1): void {
    const key = `${service}\u0000${operation}\u0000${outcome}`;
    const previous = this.counts.get(key)?.count ?? 0;
    this.counts.set(key, { service, operation, outcome, count: previous + count });
  }

  /** Every tally line, sorted by service, operation and outcome so that printed reports are stable. */
  tally(): RequestTally[] {
    return [...this.counts.values()].sort(
      (a, b) =>
        a.service.localeCompare(b.service) ||
        a.operation.localeCompare(b.operation) ||
        a.outcome.localeCompare(b.outcome),
    );
  }

  /** Requests to one service (all operations and outcomes), or to every service; items written are not requests. */
  total(service?: string): number {
    let sum = 0;
    for (const line of this.counts.values()) {
      if ((service === undefined || line.service === service) && line.operation !== BATCH_WRITE_ITEMS)
        sum += line.count;
    }
    return sum;
  }

  reset(): void {
    this.counts.clear();
  }
}
