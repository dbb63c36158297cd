/** One CTR storage config of a Connect instance, as ListInstanceStorageConfigs describes it. */
export interface CtrStorage {
  readonly associationId: string;
  /** KINESIS_STREAM, KINESIS_FIREHOSE, S3... */
  readonly storageType: string;
  /** The ARN (or bucket) the CTRs go to, when the config names one. */
  readonly target?: string;
}

/** What `npm run connect` finds, and what it does about it with --yes. */
export type StoragePlan =
  | { readonly state: 'none'; readonly action: 'associate' }
  | { readonly state: 'ours'; readonly action: 'none'; readonly current: CtrStorage }
  | { readonly state: 'elsewhere'; readonly action: 'update'; readonly current: CtrStorage };

/**
 * Compares an instance's CTR storage configs with this stack's stream. Connect keeps one CTR storage config per
 * instance: none means associate, one that names our stream means nothing to do, any other means move it (update)
 * to our stream. Should a list ever hold several, one naming our stream wins; otherwise the first is moved.
 */
export function planCtrStorage(current: readonly CtrStorage[], streamArn: string): StoragePlan {
  const ours = current.find((config) => config.storageType === 'KINESIS_STREAM' && config.target === streamArn);
  if (ours) return { state: 'ours', action: 'none', current: ours };
  const [other] = current;
  if (other) return { state: 'elsewhere', action: 'update', current: other };
  return { state: 'none', action: 'associate' };
}

/** `Kinesis stream arn:…`, `Firehose arn:…`: where a storage config sends CTRs, in words. */
export function describeStorage(storage: CtrStorage): string {
  const kind =
    {
      KINESIS_STREAM: 'Kinesis stream',
      KINESIS_FIREHOSE: 'Firehose stream',
      S3: 'S3 bucket',
      KINESIS_VIDEO_STREAM: 'Kinesis video stream',
    }[storage.storageType] ?? storage.storageType;
  return storage.target ? `${kind} ${storage.target}` : kind;
}
