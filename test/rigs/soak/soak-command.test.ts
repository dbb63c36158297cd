import { soakMain } from '../../../rigs/soak';
import type { SoakReport } from '../../../rigs/soak/run-soak';
import type { SoakOptions } from '../../../rigs/soak/soak-options';
import { captureIo } from '../../unit/commands/deployment-fixtures';

/** A soak report as runSoak returns it, with every figure set. */
function aReport(options: SoakOptions, problems: string[] = []): SoakReport {
  return {
    options,
    recordsIn: options.records,
    input: { original: 70, redelivery: 20, reordered: 9, bad: 1 },
    inBatchCopies: 4,
    producer: { accepted: 100, retries: 3, resends: 0, crossShardCopies: 2 },
    faults: { throttle: 2, http500: 1, http503: 1, reset: 1, slow: 1, partial: 1 },
    transformFaults: { throw: 1, timeout: 0 },
    crashes: { 'after-claim': 1, 'after-delivery': 1, 'before-return': 0 },
    checkerInvocations: 12,
    coldStarts: 6,
    batchRetries: 5,
    transformRetries: 1,
    abandoned: 0,
    redriven: 0,
    unread: 0,
    delivered: 72,
    parked: 0,
    duplicates: { sameRecordRedeliveries: 2, deliveredBeforeCrash: 1, ambiguousDeliveries: 1, released: 0 },
    reconciliation: {
      distinct: 70,
      rows: 72,
      lost: 0,
      lostSample: [],
      unexpected: 0,
      rawDuplicates: 2,
      copyMismatches: 0,
      duplicatesAfterRelease: 0,
      unexplainedDuplicates: 0,
      unexplainedSample: [],
      viewDuplicates: 0,
      viewMismatches: 0,
      auditMismatches: 0,
      quarantinesExpected: 1,
      quarantinesMissing: 0,
    } as SoakReport['reconciliation'],
    problems,
    durationMs: 1234,
  };
}

describe('npm run soak', () => {
  it('runs with the defaults and prints a readable result block, then the one-line figures last', async () => {
    // Arrange
    const { out, io } = captureIo();
    const ran: SoakOptions[] = [];

    // Act
    const code = await soakMain(['--records', '100'], io, async (options, onProgress) => {
      ran.push(options);
      onProgress(100, 100);
      return aReport(options);
    });

    // Assert
    expect(code).toBe(0);
    expect(ran).toEqual([{ records: 100, dupRate: 0.3, faultRate: 0.1, seed: 1 }]);
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^figure\s+value$/);
    expect(lines).toContainEqual(expect.stringMatching(/^result\s+PASS: nothing lost, every count exact$/));
    expect(lines).toContainEqual(expect.stringMatching(/^lost\s+0 \(0 unread, 0 abandoned, 0 redriven\)$/));
    expect(lines).toContainEqual(expect.stringMatching(/^raw duplicates\s+2: 2 redeliveries after a crash or timeout/));
    expect(lines.at(-1)).toMatch(/^soak PASS \| records in 100 \(seed 1, dup-rate 0.3, fault-rate 0.1; .*\| lost 0 /);
    expect(out.stderr).toBe('soak: 100/100 records through the checker\n');
  });

  it('exits 1 and lists the problems when the soak finds any', async () => {
    // Arrange
    const { out, io } = captureIo();

    // Act
    const code = await soakMain([], io, async (options) => aReport(options, ['3 distinct CTRs are not in the lake']));

    // Assert
    expect(code).toBe(1);
    expect(out.stdout).toMatch(/^result\s+FAIL: 1 problem$/m);
    expect(out.stdout).toContain('  problem: 3 distinct CTRs are not in the lake\n');
    expect(out.stdout.trimEnd().split('\n').at(-1)).toMatch(/^soak FAIL \|/);
  });

  it('prints the help with every option and its default, and runs nothing', async () => {
    // Arrange
    const { out, io } = captureIo();
    const run = jest.fn();

    // Act
    const code = await soakMain(['--help'], io, run);

    // Assert
    expect(code).toBe(0);
    expect(run).not.toHaveBeenCalled();
    expect(out.stdout).toMatch(/^Usage: npm run soak -- \[options\]/);
    for (const flag of ['--records N', '--dup-rate R', '--fault-rate F', '--seed S', '--crash-rate C', '--lake DIR']) {
      expect(out.stdout).toContain(flag);
    }
    expect(out.stdout).toContain('(default 100000)');
  });

  it('refuses a misspelt option in one line with a did-you-mean and the usage hint, exit code 2', async () => {
    // Arrange
    const { out, io } = captureIo();
    const run = jest.fn();

    // Act
    const code = await soakMain(['--dup-rat', '0.2'], io, run);

    // Assert
    expect(code).toBe(2);
    expect(run).not.toHaveBeenCalled();
    expect(out.stderr).toBe(
      'error: unknown option --dup-rat (did you mean --dup-rate?)\nusage: npm run soak -- [options]   (--help lists the options)\n',
    );
  });
});
