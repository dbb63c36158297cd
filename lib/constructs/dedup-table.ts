import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { type RemovalMode, removalPolicyFor } from '../config/ctr-lake-config';

/** Partition key of the dedup table: the dedup key of a CTR (docs/CONTRACTS.md, "Dedup table item"). */
export const DEDUP_PARTITION_KEY = 'fingerprint';
/** Epoch-seconds attribute after which DynamoDB deletes a claim. */
export const DEDUP_TTL_ATTRIBUTE = 'expiresAt';

export interface DedupTableProps {
  readonly encryptionKey: kms.IKey;
  /** `retain` also turns on deletion protection; `destroy` deletes the table with the stack. */
  readonly removalMode: RemovalMode;
}

/**
 * The claims of the duplicate checker: one item per dedup key, written by a conditional PutItem and expired by TTL
 * once no duplicate can still arrive. On-demand capacity follows the stream's bursts without tuning.
 */
export class DedupTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DedupTableProps) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: DEDUP_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: DEDUP_TTL_ATTRIBUTE,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: props.encryptionKey,
      // Losing the claims would let redelivered CTRs through as new rows until the claims' lifetime has passed.
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.removalMode === 'retain',
      removalPolicy: removalPolicyFor(props.removalMode),
    });
  }
}
