import { UsageError } from '../../../commands/shared/command-args';
import { parseCliArgs } from '../../../commands/start/start-args';

describe('parseCliArgs', () => {
  it('has no samples, lake or format of its own by default', () => {
    // Act / Assert
    expect(parseCliArgs([])).toEqual({
      samples: [],
      json: false,
      wide: false,
      report: true,
      keep: false,
      verbose: false,
      dynamoDbLocal: false,
      dedupStore: 'dynamodb',
      help: false,
    });
  });

  it('takes --samples more than once and every other option', () => {
    // Act
    const options = parseCliArgs([
      '--samples',
      'a.json',
      '--samples',
      'b.json',
      '--lake',
      'lake',
      '--format',
      'json',
      '--pii-mode',
      'drop',
      '--json',
      '--keep',
      '--shards',
      '2',
      '--batch-size',
      '50',
      '--dynamodb-local',
      '--verbose',
      '--wide',
      '--no-report',
    ]);

    // Assert
    expect(options).toEqual({
      samples: ['a.json', 'b.json'],
      lake: 'lake',
      format: 'json',
      piiMode: 'drop',
      json: true,
      wide: true,
      report: false,
      keep: true,
      verbose: true,
      dynamoDbLocal: true,
      dedupStore: 'dynamodb',
      shards: 2,
      batchSize: 50,
      help: false,
    });
  });

  it('takes --dedup-store valkey', () => {
    expect(parseCliArgs(['--dedup-store', 'valkey']).dedupStore).toBe('valkey');
  });

  it.each([
    [['--format', 'csv'], /--format must be one of parquet, json/],
    [['--pii-mode', 'hash'], /--pii-mode must be one of pseudonymise, keep, drop, received "hash"/],
    [['--shards', '0'], /--shards must be an integer from 1 to 100/],
    [['--batch-size', 'ten'], /--batch-size must be an integer/],
    [['samples.json'], /unexpected argument "samples.json"/],
    [['--dedup-store', 'redis'], /--dedup-store must be one of dynamodb, valkey, received "redis"/],
    [['--dedup-store', 'valkey', '--dynamodb-local'], /--dynamodb-local .* does not go with --dedup-store valkey/],
    [['--sample', 'x.json'], /unknown option --sample \(did you mean --samples\?\)/],
  ])('refuses %j', (argv, message) => {
    // Act / Assert
    expect(() => parseCliArgs(argv)).toThrow(UsageError);
    expect(() => parseCliArgs(argv)).toThrow(message);
  });
});
