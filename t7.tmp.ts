import { mkdtempSync, rmSync } from 'node:fs';
import { measureCompaction } from './rigs/bench/compaction-bench';
(async () => {
  const workDir = mkdtempSync('/tmp/cb-');
  const t = Date.now();
  try {
    const f = await measureCompaction({ workDir, seed: 20260302, lake: { ctrs: Number(process.env.N ?? 100000), days: 30 }, perDay: (process.env.PD ?? '10000').split(',').map(Number), transformBatchRecords: 300, flushSeconds: 60, duckDbMemoryMb: 1024, onProgress: (m) => console.error(((Date.now()-t)/1000).toFixed(0)+'s', m) });
    console.log(JSON.stringify(f, null, 1));
  } finally { rmSync(workDir, { recursive: true, force: true }); }
  console.error('total', (Date.now()-t)/1000);
})();
