import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listSources } from '../../../local-aws/ctr-sources/read-ctrs';
import {
  emulatorEvents,
  prepareOrRefuse,
  RECORDS_PER_EVENT,
  type EmulatorEventItem,
} from '../../../local-aws/pipeline/emulator-events';
import { writeSource } from '../../support/real-ctrs';

describe('emulatorEvents', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'emulator-events-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const collect = async (paths: string[]): Promise<EmulatorEventItem[]> => {
    const items: EmulatorEventItem[] = [];
    for await (const item of emulatorEvents(await listSources(paths))) items.push(item);
    return items;
  };

  it('fills events of at most 500 records across small sources, naming the sources of each', async () => {
    // Arrange: 3 files of 300 records each.
    const paths = await Promise.all(
      [1, 2, 3].map((n) =>
        writeSource(
          dir,
          `part-${n}.jsonl`,
          Buffer.from(Array.from({ length: 300 }, (_, i) => `{"ContactId":"${n}-${i}"}\n`).join('')),
        ),
      ),
    );

    // Act
    const items = await collect(paths);

    // Assert
    expect(items.map((i) => (i.kind === 'event' ? [i.records.length, i.sources] : i))).toEqual([
      [RECORDS_PER_EVENT, [paths[0], paths[1]]],
      [400, [paths[1], paths[2]]],
    ]);
  });

  it('reports what the emulator would refuse with its position, and keeps the rest of the event', async () => {
    // Arrange
    const path = await writeSource(
      dir,
      'mixed.jsonl',
      Buffer.from('{"ContactId":"a"}\n"x"\n{"ContactId":""}\n{"ContactId":"b"}\n'),
    );

    // Act
    const items = await collect([path]);

    // Assert
    expect(items).toEqual([
      {
        kind: 'malformed',
        piece: { source: path, position: { byte: 18, line: 2 }, reason: 'expected a CTR object, found a string' },
      },
      {
        kind: 'malformed',
        piece: {
          source: path,
          position: { byte: 22, line: 3 },
          reason: 'ContactId is the partition key and must be 1-256 characters, received 0',
        },
      },
      { kind: 'event', sources: [path], records: [{ ContactId: 'a' }, { ContactId: 'b' }] },
    ]);
  });
});

describe('prepareOrRefuse', () => {
  it('keeps the ContactId in the reason for a record over the Kinesis limit', () => {
    // Act
    const refused = prepareOrRefuse({ ContactId: 'big', pad: 'x'.repeat(1024 * 1024) });

    // Assert
    expect(refused.reason).toMatch(/^ContactId big: \d+ bytes is over the Kinesis record limit of 1048576 bytes/);
  });
});
