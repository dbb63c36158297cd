import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCheckerWorker } from '../../../../rigs/bench/checker-process';

describe('bundleCheckerWorker', () => {
  it('bundles every design without the emulators, whose native LevelDB bindings cannot be bundled', async () => {
    // Arrange
    const outDir = await mkdtemp(join(tmpdir(), 'ctr-lake-worker-'));
    try {
      // Act
      const bundle = await readFile(await bundleCheckerWorker(outDir), 'utf8');

      // Assert: esbuild marks each bundled module with its path
      expect(bundle).toContain('node_modules/@aws-lambda-powertools/idempotency/');
      expect(bundle).toContain('node_modules/@aws-lambda-powertools/batch/');
      expect(bundle).not.toMatch(/node_modules\/(dynalite|kinesalite|classic-level|leveldown)\//);
    } finally {
      await rm(outDir, { recursive: true, force: true });
    }
  });
});
