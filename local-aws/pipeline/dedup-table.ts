import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

/**
 * The dedup table of docs/CONTRACTS.md as a local server creates it: partition key `fingerprint` (S), on demand,
 * nothing else declared (TTL is a separate call, which dynalite does not implement). The one definition every local
 * run, bench and test creates its table from, so they all dedup against the table the stack deploys.
 */
export function dedupTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    AttributeDefinitions: [{ AttributeName: 'fingerprint', AttributeType: 'S' }],
    KeySchema: [{ AttributeName: 'fingerprint', KeyType: 'HASH' }],
    BillingMode: 'PAY_PER_REQUEST',
  };
}
