import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertCtr, type Ctr } from '../../../lambda/shared/ctr';
import { contentFingerprint } from '../../../lambda/shared/fingerprint';
import { SAMPLES_DIR, sampleFiles } from '../../../rigs/synthetic/write-samples';

const FILES = sampleFiles();

function readSample(file: string): string {
  return readFileSync(join(SAMPLES_DIR, file), 'utf8');
}

function ctrsIn(file: string): Ctr[] {
  const parsed = JSON.parse(readSample(file)) as unknown;
  const records = Array.isArray(parsed) ? parsed : [parsed];
  return records.map((record: unknown) => {
    assertCtr(record);
    return record;
  });
}

/** Every object key path in the order it appears, to check sorting at every level. */
function unsortedKeyLists(value: unknown, path = '$'): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => unsortedKeyLists(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const keys = Object.keys(value);
  const own = keys.join() === [...keys].sort().join() ? [] : [path];
  return [...own, ...keys.flatMap((k) => unsortedKeyLists((value as Record<string, unknown>)[k], `${path}.${k}`))];
}

describe('samples/', () => {
  it.each(Object.keys(FILES))('%s is up to date with rigs/synthetic/sample-contacts.ts', (file) => {
    // Act / Assert
    expect(readSample(file)).toBe(FILES[file]);
  });

  it.each(Object.keys(FILES))('%s holds only valid, key-sorted, synthetic CTRs', (file) => {
    // Act
    const ctrs = ctrsIn(file);

    // Assert
    for (const ctr of ctrs) {
      expect(unsortedKeyLists(ctr)).toEqual([]);
      expect(ctr.AWSAccountId).toBe('111122223333');
      expect(ctr.InitiationTimestamp.startsWith('2026-')).toBe(true);
      for (const endpoint of [ctr.CustomerEndpoint, ctr.SystemEndpoint]) {
        if (endpoint?.Address) expect(endpoint.Address).toMatch(/^\+120655501\d\d$/);
      }
      // Connect writes empty fields as null rather than leaving them out.
      expect(ctr).toHaveProperty('NextContactId');
      expect(ctr).toHaveProperty('TransferredToEndpoint');
    }
  });

  describe('duplicated-ctrs.json', () => {
    it('holds three distinct contacts, each twice in a row, on two channels and two days', () => {
      // Arrange
      const ctrs = ctrsIn('duplicated-ctrs.json');

      // Act
      const fingerprints = ctrs.map(contentFingerprint);

      // Assert
      expect(ctrs).toHaveLength(6);
      expect(new Set(fingerprints).size).toBe(3);
      for (const i of [0, 2, 4]) expect(fingerprints[i + 1]).toBe(fingerprints[i]);
      expect(new Set(ctrs.map((c) => c.ContactId)).size).toBe(3);
      expect(new Set(ctrs.map((c) => c.Channel)).size).toBeGreaterThanOrEqual(2);
      expect(new Set(ctrs.map((c) => c.InitiationTimestamp.slice(0, 10))).size).toBeGreaterThanOrEqual(2);
    });

    it('has one compact record per line, so each line is the canonical form the fingerprint hashes', () => {
      // Arrange
      const lines = readSample('duplicated-ctrs.json').split('\n').slice(1, -2);

      // Act
      const lineRecords = lines.map((line) => line.trim().replace(/,$/, ''));

      // Assert
      expect(lineRecords).toHaveLength(6);
      for (const text of lineRecords) expect(JSON.stringify(JSON.parse(text))).toBe(text);
    });
  });

  describe('ctrs/', () => {
    it('covers an answered call, an abandoned call, a chat and a task', () => {
      // Act
      const [voice] = ctrsIn('ctrs/inbound-voice-with-agent.json');
      const [abandoned] = ctrsIn('ctrs/abandoned-in-queue.json');
      const [chat] = ctrsIn('ctrs/chat.json');
      const [task] = ctrsIn('ctrs/task.json');

      // Assert
      expect(voice).toMatchObject({ Channel: 'VOICE', InitiationMethod: 'INBOUND' });
      expect(voice?.Agent?.ConnectedToAgentTimestamp).toEqual(expect.any(String));
      expect(abandoned?.Agent).toBeNull();
      expect(abandoned?.Queue?.EnqueueTimestamp).toEqual(expect.any(String));
      expect(chat).toMatchObject({ Channel: 'CHAT', CustomerEndpoint: null });
      expect(task).toMatchObject({ Channel: 'TASK' });
    });

    it('links the two legs of the transferred call', () => {
      // Act
      const [first, second] = ctrsIn('ctrs/transferred-call.json');

      // Assert
      expect(first?.NextContactId).toBe(second?.ContactId);
      expect(second).toMatchObject({
        InitiationMethod: 'TRANSFER',
        PreviousContactId: first?.ContactId,
        InitialContactId: first?.ContactId,
        InitiationTimestamp: first?.DisconnectTimestamp,
      });
    });
  });
});
