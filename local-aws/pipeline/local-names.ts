import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from '../lambda-runtime/local-identity';

/** Resource names of the local pipeline: fixed, since every run gets its own servers. */
export const LOCAL_NAMES = {
  stream: 'ctr-lake-local-ctrs',
  dedupTable: 'ctr-lake-local-dedup',
  deliveryStream: 'ctr-lake-local-lake',
  emulator: 'ctr-lake-local-emulator',
  checker: 'ctr-lake-local-checker',
  transform: 'ctr-lake-local-transform',
  pseudonymKey: 'ctr-lake-local-pseudonym-key',
} as const;

export const localArn = {
  stream: (name: string): string => `arn:aws:kinesis:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stream/${name}`,
  deliveryStream: (name: string): string =>
    `arn:aws:firehose:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:deliverystream/${name}`,
  role: (functionName: string): string => `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${functionName}-role`,
  /** Secrets Manager ends a secret's ARN with a hyphen and six random characters. */
  secret: (name: string): string => `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:secret:${name}-000000`,
};
