import { NestedStack, type NestedStackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { type CtrLakeConfig, removalPolicyFor } from '../config/ctr-lake-config';
import { resourceNames } from '../config/resource-names';
import { CtrCatalog } from '../constructs/ctr-catalog';
import { DedupTable } from '../constructs/dedup-table';
import type { CheckerDedupStore } from '../constructs/duplicate-checker';
import { ValkeyDedupCache } from '../constructs/valkey-dedup-cache';
import { logRetentionOf } from '../config/log-retention';
import { LakeKey } from '../constructs/lake-key';
import { LakeStorage } from '../constructs/lake-storage';
import { PseudonymKeySecret } from '../constructs/pseudonym-key-secret';

export interface StatefulStackProps extends NestedStackProps {
  readonly config: CtrLakeConfig;
}

/**
 * Everything that holds data: the KMS key, the lake, Athena results and access-log buckets, the Glue catalog, the
 * dedup table and the pseudonym key. Retained on stack deletion unless the config says `destroy`, except the Glue catalog: it holds only
 * metadata and has a fixed name, so it goes with the stack and the next deployment recreates it. Changes here are
 * rare and careful;
 * the stateless stack can be redeployed freely around it.
 */
export class StatefulStack extends NestedStack {
  readonly encryptionKey: kms.IKey;
  readonly lakeBucket: s3.IBucket;
  readonly athenaResultsBucket: s3.IBucket;
  readonly accessLogsBucket: s3.IBucket;
  /** Where the checker keeps its claims: the DynamoDB table, or the Valkey cache in its VPC (`ctrLake:dedupStore`). */
  readonly dedupStore: CheckerDedupStore;
  readonly catalog: CtrCatalog;
  /** The key of the phone number pseudonyms: data, since losing it unlinks every pseudonym from new ones. */
  readonly pseudonymKey: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, {
      description: 'ctr-lake data stores: KMS key, lake buckets, Glue catalog, dedup store, pseudonym key',
      ...props,
    });
    const { config } = props;
    const names = resourceNames(config.prefix);

    this.encryptionKey = new LakeKey(this, 'LakeKey', {
      aliasName: names.keyAlias,
      removalPolicy: removalPolicyFor(config.removalPolicy),
    }).key;

    const storage = new LakeStorage(this, 'LakeStorage', {
      encryptionKey: this.encryptionKey,
      lifecycle: config.lifecycle,
      removalMode: config.removalPolicy,
    });
    this.lakeBucket = storage.lakeBucket;
    this.athenaResultsBucket = storage.athenaResultsBucket;
    this.accessLogsBucket = storage.accessLogsBucket;

    this.catalog = new CtrCatalog(this, 'Catalog', {
      databaseName: names.databaseName,
      lakeBucket: storage.lakeBucket,
      lakeFormat: config.lakeFormat,
      projectionStartYear: config.projectionStartYear,
    });

    this.dedupStore =
      config.dedupStore === 'valkey'
        ? {
            kind: 'valkey',
            cache: new ValkeyDedupCache(this, 'ValkeyDedupCache', {
              encryptionKey: this.encryptionKey,
              removalMode: config.removalPolicy,
              flowLogRetention: logRetentionOf(config.logRetentionDays),
            }),
          }
        : {
            kind: 'dynamodb',
            table: new DedupTable(this, 'DedupTable', {
              encryptionKey: this.encryptionKey,
              removalMode: config.removalPolicy,
            }).table,
          };

    this.pseudonymKey = new PseudonymKeySecret(this, 'PseudonymKey', {
      encryptionKey: this.encryptionKey,
      keyVersion: config.pii.keyVersion,
      removalPolicy: removalPolicyFor(config.removalPolicy),
    }).secret;
  }
}
