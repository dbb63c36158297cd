import dynalite from 'dynalite';
import dynaliteDb from 'dynalite/db';
import deleteItemParameters from 'dynalite/validations/deleteItem';
import putItemParameters from 'dynalite/validations/putItem';
import updateItemParameters from 'dynalite/validations/updateItem';
import { listenOnLoopback, type LocalServer } from './local-server';

export interface DynaliteServerOptions {
  /** Directory for dynalite's LevelDB files, so dedup state survives a restart. @default in memory */
  readonly path?: string;
}

/** Starts dynalite (a DynamoDB emulator) in this process on a free loopback port. */
export function startDynalite(options: DynaliteServerOptions = {}): Promise<LocalServer> {
  returnItemOnConditionFailure();
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  return listenOnLoopback('dynalite', server);
}

let patched = false;

/**
 * DynamoDB answers a write refused by its condition with the item it met when the request asks for it
 * (ReturnValuesOnConditionCheckFailure ALL_OLD, in the ConditionalCheckFailedException's `Item`), and the checker's
 * claims rely on it (docs/CONTRACTS.md). dynalite predates the parameter and ignores it: this adds it, at the one
 * place every conditional write is judged, so the local runs behave, and cost, as DynamoDB does. DynamoDB Local
 * implements it natively; the loss-window tests run against both.
 */
function returnItemOnConditionFailure(): void {
  if (patched) return;
  patched = true;
  // Accepted, not dropped as unknown, by the conditional writes.
  for (const parameters of [putItemParameters, updateItemParameters, deleteItemParameters]) {
    parameters.types.ReturnValuesOnConditionCheckFailure = { type: 'String', enum: ['ALL_OLD', 'NONE'] };
  }
  const judge = dynaliteDb.checkConditional;
  dynaliteDb.checkConditional = (data, existingItem) => {
    const refusal = judge(data, existingItem);
    if (refusal?.body && existingItem && data.ReturnValuesOnConditionCheckFailure === 'ALL_OLD') {
      refusal.body.Item = existingItem;
    }
    return refusal;
  };
}
