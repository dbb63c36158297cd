import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { installedDuckDbVersion, layerMarker, prepareDuckDbLayer } from '../../lib/constructs/duckdb-layer';

describe('prepareDuckDbLayer', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'duckdb-layer-'));
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A stand-in for npm: a script that records its arguments and, if told to, installs a fake arm64 binding. */
  function fakeNpm(installs: boolean): string {
    const script = path.join(dir, 'npm');
    fs.writeFileSync(
      script,
      [
        '#!/bin/sh',
        `echo "$@" >> ${path.join(dir, 'calls')}`,
        installs
          ? 'prefix=$3; mkdir -p "$prefix/node_modules/@duckdb/node-bindings-linux-arm64" && touch "$prefix/node_modules/@duckdb/node-bindings-linux-arm64/libduckdb.so"'
          : 'echo "npm error network unreachable" >&2; exit 1',
      ].join('\n'),
      { mode: 0o755 },
    );
    return script;
  }

  const calls = (): string[] =>
    fs.existsSync(path.join(dir, 'calls')) ? fs.readFileSync(path.join(dir, 'calls'), 'utf8').trim().split('\n') : [];

  it('installs the exact version for linux-arm64 glibc once, then uses the cache', () => {
    // Act
    const first = prepareDuckDbLayer('1.2.3', path.join(dir, 'cache'), fakeNpm(true));
    const second = prepareDuckDbLayer('1.2.3', path.join(dir, 'cache'), fakeNpm(false));

    // Assert
    expect(second).toBe(first);
    expect(fs.existsSync(layerMarker(first))).toBe(true);
    expect(path.basename(first)).not.toContain('.');
    expect(calls()).toHaveLength(1);
    expect(calls()[0]).toMatch(
      /^install --prefix \S+\/nodejs .*--os=linux --cpu=arm64 --libc=glibc .*@duckdb\/node-api@1\.2\.3$/,
    );
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([path.basename(first)]);
  });

  it('says what failed and how to go on when npm cannot install it', () => {
    expect(() => prepareDuckDbLayer('1.2.3', path.join(dir, 'cache'), fakeNpm(false))).toThrow(
      /could not prepare the DuckDB layer \(@duckdb\/node-api@1\.2\.3 for linux-arm64\): npm install exited with 1: npm error network unreachable\. .*ctrLake:compaction=false/,
    );
    expect(fs.readdirSync(path.join(dir, 'cache'))).toEqual([]);
  });

  it('reads the installed version from node_modules', () => {
    expect(installedDuckDbVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });
});
