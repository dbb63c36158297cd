import { crashRateOf, parseSoakArgs, SoakUsageError } from '../../../rigs/soak/soak-options';

describe('soak options', () => {
  it('reads the issue command line', () => {
    // Act
    const options = parseSoakArgs(['--records', '100000', '--dup-rate', '0.3', '--fault-rate', '0.1', '--seed', '1']);

    // Assert
    expect(options).toEqual({ records: 100_000, dupRate: 0.3, faultRate: 0.1, seed: 1 });
    expect(crashRateOf(options)).toBe(0.1);
  });

  it('accepts --flag=value and the optional settings', () => {
    // Act
    const options = parseSoakArgs([
      '--records=50',
      '--dup-rate=0',
      '--fault-rate=0',
      '--seed=7',
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
      dupRate: 0,
      faultRate: 0,
      seed: 7,
      crashRate: 0.2,
      format: 'json',
      lakeDir: '/tmp/lake',
      shards: 2,
    });
  });

  it('reads the give-up and redrive settings: --max-retries N and the --redrive switch', () => {
    // Act
    const options = parseSoakArgs([
      '--records',
      '10',
      '--max-retries',
      '1',
      '--redrive',
      '--dup-rate',
      '0.3',
      '--fault-rate',
      '0.5',
      '--seed',
      '1',
    ]);

    // Assert
    expect(options).toEqual({ records: 10, maxRetries: 1, redrive: true, dupRate: 0.3, faultRate: 0.5, seed: 1 });
  });

  it.each([
    [['--records', '10', '--dup-rate', '0.3', '--fault-rate', '0.1'], /missing --seed/],
    [['--records', '10', '--redrive=yes'], /--redrive takes no value/],
    [['--records', '10', '--max-retries', '-1'], /--max-retries must be an integer from 0 to 10000/],
    [
      ['--records', '0', '--dup-rate', '0.3', '--fault-rate', '0.1', '--seed', '1'],
      /--records must be a positive integer, received "0"/,
    ],
    [
      ['--records', '10', '--dup-rate', '1', '--fault-rate', '0.1', '--seed', '1'],
      /--dup-rate must be a rate in \[0, 1\)/,
    ],
    [['--records', '10', '--dup-rate', '0.3', '--fault-rate', 'lots', '--seed', '1'], /--fault-rate must be a rate/],
    [
      ['--records', '10', '--dup-rate', '0.3', '--fault-rate', '0.1', '--seed', '1', '--format', 'csv'],
      /--format must be parquet or json/,
    ],
    [['--records', '10', '--speed', 'fast'], /unknown option "--speed"/],
    [['--records'], /--records needs a value/],
  ])('refuses %j with a message saying what is wrong', (argv, message) => {
    // Act
    const parse = () => parseSoakArgs(argv);

    // Assert
    expect(parse).toThrow(SoakUsageError);
    expect(parse).toThrow(message);
  });
});
