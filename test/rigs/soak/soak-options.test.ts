import { UsageError } from '../../../commands/shared/command-args';
import { crashRateOf, parseSoakArgs, SOAK_COMMAND_DEFAULTS, SOAK_DEFAULTS } from '../../../rigs/soak/soak-options';

describe('soak options', () => {
  it('reads the issue command line', () => {
    // Act
    const { help, options } = parseSoakArgs([
      '--records',
      '100000',
      '--dup-rate',
      '0.3',
      '--fault-rate',
      '0.1',
      '--seed',
      '1',
    ]);

    // Assert
    expect(help).toBe(false);
    expect(options).toEqual({ records: 100_000, dupRate: 0.3, faultRate: 0.1, seed: 1 });
    expect(crashRateOf(options)).toBe(0.1);
  });

  it('runs the long soak of docs/RELIABILITY.md with no option: every rate has a default', () => {
    // Act
    const { options } = parseSoakArgs([]);

    // Assert
    expect(options).toEqual({ records: 100_000, dupRate: 0.3, faultRate: 0.1, seed: 1 });
    expect(options).toEqual(SOAK_COMMAND_DEFAULTS);
  });

  it('reads the give-up and redrive settings: --max-retries N and the --redrive switch', () => {
    // Act
    const { options } = parseSoakArgs(['--records', '10', '--max-retries', '1', '--redrive', '--seed', '1']);

    // Assert
    expect(options).toEqual({
      records: 10,
      dupRate: SOAK_COMMAND_DEFAULTS.dupRate,
      faultRate: SOAK_COMMAND_DEFAULTS.faultRate,
      seed: 1,
      maxRetries: 1,
      redrive: true,
    });
  });

  it('reads --dedup-store valkey, and refuses a store it does not know', () => {
    // Act
    const { options } = parseSoakArgs(['--records', '10', '--dedup-store', 'valkey']);

    // Assert
    expect(options.dedupStore).toBe('valkey');
    expect(SOAK_DEFAULTS.dedupStore).toBe('dynamodb');
    expect(() => parseSoakArgs(['--dedup-store', 'redis'])).toThrow(
      /--dedup-store must be dynamodb or valkey, received "redis"/,
    );
  });

  it('refuses a --max-retries beyond what Lambda accepts', () => {
    expect(() => parseSoakArgs(['--max-retries', '10001'])).toThrow(
      '--max-retries must be an integer from 0 to 10000, received "10001"',
    );
  });

  it('accepts --flag=value and the optional settings, the others keeping their defaults', () => {
    // Act
    const { options } = parseSoakArgs([
      '--records=50',
      '--fault-rate=0',
      '--crash-rate',
      '0.2',
      '--format',
      'json',
      '--lake',
      '/tmp/lake',
      '--shards',
      '2',
    ]);

    // Assert
    expect(options).toEqual({
      records: 50,
      dupRate: SOAK_COMMAND_DEFAULTS.dupRate,
      faultRate: 0,
      seed: SOAK_COMMAND_DEFAULTS.seed,
      crashRate: 0.2,
      format: 'json',
      lakeDir: '/tmp/lake',
      shards: 2,
    });
    expect(SOAK_DEFAULTS.badRate).toBe(0.005);
  });

  it('asks for the help with --help or -h', () => {
    // Act / Assert
    expect(parseSoakArgs(['--help']).help).toBe(true);
    expect(parseSoakArgs(['-h']).help).toBe(true);
  });

  it.each([
    [['--records', '0'], /^--records must be a positive integer, received "0"$/],
    [['--dup-rate', '1'], /^--dup-rate must be a rate in \[0, 1\), received "1"$/],
    [['--fault-rate', 'lots'], /^--fault-rate must be a rate/],
    [['--format', 'csv'], /^--format must be parquet or json/],
    [['--records', '10', '--speed', 'fast'], /^unknown option --speed \(did you mean --seed\?\)$/],
    [['--fault-rat', '0.1'], /^unknown option --fault-rat \(did you mean --fault-rate\?\)$/],
    [['--records'], /^--records needs a value: --records N$/],
    [['100'], /^unexpected argument "100"/],
  ])('refuses %j in one line with the usage hint', (argv, message) => {
    // Act
    const error = (() => {
      try {
        parseSoakArgs(argv);
        return undefined;
      } catch (e) {
        return e as UsageError;
      }
    })();

    // Assert
    expect(error).toBeInstanceOf(UsageError);
    expect(error!.message).toMatch(message);
    expect(error!.usage).toBe('usage: npm run soak -- [options]   (--help lists the options)');
  });
});
