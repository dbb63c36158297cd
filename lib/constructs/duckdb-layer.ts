import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { CTR_FUNCTION_RUNTIME, DUCKDB_PACKAGE } from './ctr-function';

/** Repository root, where package.json and node_modules live. */
const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/** Lambda's limit on a function and its layers, unzipped (and on /opt). */
const LAMBDA_UNZIPPED_LIMIT_BYTES = 250 * 1024 * 1024;

export interface DuckDbLayerProps {
  /** Where the layer's content is prepared and cached. @default node_modules/.cache/ctr-lake in the repository */
  readonly cacheDir?: string;
}

/**
 * `@duckdb/node-api` with its linux-arm64 (glibc) binding, as a layer (`nodejs/node_modules/…`, which Lambda's
 * Node.js runtimes put on the module path). The binding is a 63 MB native library, so it cannot be bundled by
 * esbuild, and npm only installs the binding of the machine it runs on: the layer is made by npm itself, for
 * Lambda's platform (`--os=linux --cpu=arm64 --libc=glibc`), at the exact version the lockfile installed, once per
 * version (cached), with nothing but the npm registry (or npm's cache). The binding needs glibc 2.25 and
 * libstdc++ 3.4.22 at most, which Lambda's Amazon Linux 2023 runtimes provide (docs/CONTRACTS.md).
 */
export class DuckDbLayer extends Construct {
  readonly layer: lambda.LayerVersion;
  readonly version: string;

  constructor(scope: Construct, id: string, props: DuckDbLayerProps = {}) {
    super(scope, id);
    this.version = installedDuckDbVersion();
    const dir = prepareDuckDbLayer(
      this.version,
      props.cacheDir ?? path.join(PROJECT_ROOT, 'node_modules', '.cache', 'ctr-lake'),
    );
    this.layer = new lambda.LayerVersion(this, 'Layer', {
      code: lambda.Code.fromAsset(dir),
      compatibleArchitectures: [lambda.Architecture.ARM_64],
      compatibleRuntimes: [CTR_FUNCTION_RUNTIME],
      description: `${DUCKDB_PACKAGE} ${this.version} (linux-arm64, glibc) for the compaction job`,
    });
  }
}

/** The version of @duckdb/node-api in node_modules: the one the tests and the local runs use. */
export function installedDuckDbVersion(projectRoot: string = PROJECT_ROOT): string {
  const manifest = path.join(projectRoot, 'node_modules', ...DUCKDB_PACKAGE.split('/'), 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** The file that proves a prepared layer directory is complete: the native library of the arm64 binding. */
export function layerMarker(dir: string): string {
  return path.join(dir, 'nodejs', 'node_modules', '@duckdb', 'node-bindings-linux-arm64', 'libduckdb.so');
}

/**
 * Returns a directory holding the layer for `version`, preparing it with npm when it is not cached yet. The
 * directory appears whole (prepared aside, then renamed), so parallel syntheses never see half of it.
 */
export function prepareDuckDbLayer(version: string, cacheDir: string, npm: string = npmCommand()): string {
  // No dots in the name: CDK would carry what follows one into the staged asset's name as an extension.
  const dir = path.join(cacheDir, `duckdb-layer-${version.replace(/\./g, '_')}-linux-arm64-glibc`);
  if (existsSync(layerMarker(dir))) return dir;
  mkdirSync(cacheDir, { recursive: true });
  const staging = `${dir}.${process.pid}.${Date.now()}`;
  try {
    const result = spawnSync(
      npm,
      [
        'install',
        '--prefix',
        path.join(staging, 'nodejs'),
        '--no-save',
        '--no-package-lock',
        '--os=linux',
        '--cpu=arm64',
        '--libc=glibc',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        `${DUCKDB_PACKAGE}@${version}`,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    if (result.status !== 0 || !existsSync(layerMarker(staging))) {
      throw new Error(
        `could not prepare the DuckDB layer (${DUCKDB_PACKAGE}@${version} for linux-arm64): npm install exited with ` +
          `${result.status ?? result.signal ?? result.error?.message}: ${(result.stderr ?? '').trim().split('\n').slice(-3).join(' ')}. ` +
          "It needs the npm registry (or npm's cache) once per DuckDB version; or set -c ctrLake:compaction=false.",
      );
    }
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another synthesis prepared it meanwhile: use theirs.
      if (!existsSync(layerMarker(dir))) throw error;
    }
    return dir;
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

function npmCommand(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

export { LAMBDA_UNZIPPED_LIMIT_BYTES };
