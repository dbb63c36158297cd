import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCheckerWorker, CheckerProcess } from '../../../rigs/bench/checker-process';
import { createDesignTable } from '../../../rigs/bench/designs';
import { startFirehoseCountingSink, type FirehoseCountingSink } from '../../../rigs/bench/firehose-counting-sink';
import { readProjectConfig } from '../../../lib/config/project-config';
import { LOCAL_CLIENT_CONFIG, startDynalite, type LocalServer } from '../../../local-aws/servers';
import { countItems } from '../../rigs/soak/checker-rig';
import { aCtr, kinesisEvent } from '../../support/ctr-factory';
import { loadedMachineLimit } from '../../support/loaded-machine';

// 37 s unloaded (bundle, dynalite and the batch).
jest.setTimeout(loadedMachineLimit(37));

/**
 * Kinesis's largest batch: an event source mapping hands the checker at most 10,000 records. The checker must take
 * such a batch inside the memory the stack configures for it (cdk.json `ctrLake:checkerMemoryMb`) and deliver each
 * distinct CTR exactly once. Unloaded it does so in one invocation, well inside the function's timeout; on a starved
 * machine a claim can time out, or the time budget hand the rest back before the function's timeout, as batch item
 * failures, and the retries Lambda would make finish the batch (seen beside four busy loops: a batch item failure
 * after 150 s). So the invocations are reported, not asserted: speed belongs to `npm run bench`.
 *
 * The checker runs as Lambda runs it: bundled by esbuild, in a Node process of its own whose V8 heap is capped below
 * the configured memory, so running out of memory is a failure (the process dies) rather than a number measured in
 * the jest process beside dynalite and the test's own garbage. Lambda caps the payload at 6 MB, so a real
 * 10,000-record batch holds small records; these are full-size realistic CTRs (about 3 KB each, 30 MB in all), a
 * harder case than Lambda can send.
 */
describe('checker limits: a 10,000-record batch', () => {
  const RECORDS = 10_000;
  const DISTINCT = 8_000;
  const TABLE = 'ctr-lake-dedup';
  const DELIVERY_STREAM = 'ctr-lake-delivery';
  const memoryMb = readProjectConfig().checker.memoryMb;
  // Lambda's Node runtime leaves room beside the old generation for new space, code and buffers; so does this cap.
  const heapCapMb = Math.floor(memoryMb * 0.8);
  let workDir: string;
  let bundle: string;
  let dynalite: LocalServer;
  let sink: FirehoseCountingSink;
  let admin: DynamoDBClient;

  beforeAll(async () => {
    workDir = await mkdtemp(join(tmpdir(), 'ctr-lake-10k-'));
    [bundle, dynalite, sink] = await Promise.all([
      bundleCheckerWorker(workDir),
      startDynalite(),
      startFirehoseCountingSink(),
    ]);
    admin = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint: dynalite.endpoint });
    await createDesignTable(admin, 'ours', TABLE);
  });

  afterAll(async () => {
    admin.destroy();
    await Promise.all([dynalite.stop(), sink.stop()]);
    await rm(workDir, { recursive: true, force: true });
  });

  it('delivers every distinct CTR once inside the configured memory', async () => {
    // Arrange: 8,000 distinct CTRs and 2,000 exact redeliveries of some of them, spread through the batch.
    const distinct = Array.from({ length: DISTINCT }, () => aCtr());
    const items = [...distinct];
    for (let i = 0; i < RECORDS - DISTINCT; i++)
      items.splice((i * 37) % items.length, 0, distinct[(i * 13) % DISTINCT]!);
    const eventsFile = join(workDir, 'batch.events.json');
    await writeFile(eventsFile, JSON.stringify([kinesisEvent(items)]));
    const checker = CheckerProcess.start(bundle, {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=${heapCapMb}`.trim(),
    });

    // Act: the worker redelivers what the checker hands back, as Lambda would, and dies if its heap runs out.
    let result;
    try {
      result = await checker.run({
        design: 'ours',
        endpoints: { dynamoDb: dynalite.endpoint, firehose: sink.endpoint },
        tableName: TABLE,
        deliveryStreamName: DELIVERY_STREAM,
        eventsFile,
      });
    } finally {
      await checker.stop();
    }

    // Assert
    const delivered = sink.stream(DELIVERY_STREAM);
    expect(result.batchMs).toHaveLength(1);
    expect(delivered.fingerprints.size).toBe(DISTINCT);
    expect([...delivered.fingerprints.values()].every((copies) => copies === 1)).toBe(true);
    expect(delivered.quarantined).toBe(0);
    expect(await countItems(admin, TABLE)).toBe(DISTINCT);
    // maxRSS of the whole process, as Lambda's "Max Memory Used" is compared with the function's memory size.
    expect(result.peakRssMb).toBeLessThan(memoryMb);
    // Time is reported, not asserted: speed belongs to `npm run bench`, and a loaded CI machine must not fail here.
    console.info(
      `10,000-record batch: ${result.batchMs[0]!.toFixed(0)} ms in ${result.invocations} invocation(s), peak RSS ${result.peakRssMb.toFixed(0)} MB ` +
        `(configured ${memoryMb} MB, heap capped at ${heapCapMb} MB)`,
    );
  });
});
