import { Cluster } from 'ioredis';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { ValkeyDedupStore } from './lambda/checker/adapters/valkey-dedup-store';
import { CHECKER_ACCESS_STRING } from './lib/constructs/valkey-dedup-cache';
const port = 41000 + Math.floor(Math.random() * 1000);
(async () => {
  const dir = mkdtempSync('/tmp/vkc-');
  const p = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--cluster-enabled', 'yes', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 500));
  const { execSync } = require('node:child_process');
  execSync(`redis-cli -p ${port} cluster addslotsrange 0 16383`);
  execSync(`redis-cli -p ${port} acl setuser checker ${(process.env.ACCESS ?? CHECKER_ACCESS_STRING).replace(/\|/g, '\\|')} '>secret'`);
  await new Promise((r) => setTimeout(r, 1000));
  const cluster = new Cluster([{ host: '127.0.0.1', port }], { enableAutoPipelining: true, redisOptions: { username: 'checker', password: 'secret', enableReadyCheck: false } });
  cluster.on('error', (e) => console.log('err', e.message));
  const store = new ValkeyDedupStore(cluster);
  const now = new Date();
  try {
    console.log(await store.claim({ key: 'k', eventId: 'e', now, expiresAt: Math.floor(now.getTime()/1000)+60, leaseUntil: now.getTime()+1000 }));
  } catch (e) { console.log('claim failed', (e as Error).message, ((e as any).cause as Error)?.message); }
  cluster.disconnect(); p.kill();
})();
