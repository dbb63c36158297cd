import {
  commandHelp,
  editDistance,
  nearestName,
  parseCommandArgs,
  usageLine,
  UsageError,
  type CommandSpec,
} from '../../../commands/shared/command-args';
import { thrownBy } from '../../support/thrown';

const OPTIONS = {
  lake: { type: 'string', placeholder: 'DIR', help: 'the lake directory' },
  region: { type: 'string', placeholder: 'REGION', help: 'AWS region\nsecond line' },
  json: { type: 'boolean', help: 'print JSON' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
} as const;

const SPEC: CommandSpec<typeof OPTIONS> = {
  invocation: 'npm run example --',
  synopsis: 'NAME [options]',
  description: 'Does an example thing.',
  options: OPTIONS,
  positionals: { name: 'NAME', min: 1, max: 1 },
};

function usageErrorOf(argv: readonly string[]): UsageError {
  return thrownBy(() => parseCommandArgs(SPEC, argv), UsageError);
}

describe('parseCommandArgs', () => {
  it('returns typed values and positionals', () => {
    // Act
    const { values, positionals } = parseCommandArgs(SPEC, ['calls', '--lake', 'l', '--json']);

    // Assert
    expect(values).toEqual({ lake: 'l', json: true });
    expect(positionals).toEqual(['calls']);
  });

  it.each([
    [['calls', '--regoin', 'x'], 'unknown option --regoin (did you mean --region?)'],
    [['calls', '--jsno'], 'unknown option --jsno (did you mean --json?)'],
    [['calls', '--lak', 'x'], 'unknown option --lak (did you mean --lake?)'],
    [['calls', '--zebra'], 'unknown option --zebra'],
    [['calls', '--lake'], '--lake needs a value: --lake DIR'],
    [['calls', '--json=yes'], '--json takes no value'],
    [['calls', 'more'], 'unexpected argument "more": at most 1 NAME'],
    [[], 'name a NAME'],
  ])('refuses %j with one line: %s', (argv, message) => {
    // Act
    const error = usageErrorOf(argv);

    // Assert
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
    expect(error.usage).toBe('usage: npm run example -- NAME [options]   (--help lists the options)');
  });

  it('suggests the option a stray word looks like when the command takes no arguments', () => {
    // Arrange
    const spec = { ...SPEC, positionals: undefined };

    // Act
    const error = thrownBy(() => parseCommandArgs(spec, ['json']), UsageError);

    // Assert
    expect(error.message).toBe('unexpected argument "json" (did you mean --json?)');
  });

  it('lets --help through without the positionals the command needs', () => {
    // Act
    const { values } = parseCommandArgs(SPEC, ['--help']);

    // Assert
    expect(values.help).toBe(true);
  });
});

describe('commandHelp', () => {
  it('lists the usage, the description and one aligned line per option', () => {
    // Act
    const help = commandHelp(SPEC);

    // Assert
    expect(help).toBe(
      [
        'Usage: npm run example -- NAME [options]',
        '',
        'Does an example thing.',
        '',
        'Options:',
        '  --lake DIR       the lake directory',
        '  --region REGION  AWS region',
        '                   second line',
        '  --json           print JSON',
        '  --help           show this help',
      ].join('\n'),
    );
    expect(usageLine(SPEC)).toContain('npm run example -- NAME [options]');
  });
});

describe('nearestName and editDistance', () => {
  it('counts an adjacent swap as one edit', () => {
    expect(editDistance('regoin', 'region')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('finds a close name and nothing for a distant one', () => {
    expect(nearestName('calls_per_dya', ['calls_per_day', 'ctr_latest'])).toBe('calls_per_day');
    expect(nearestName('zzz', ['calls_per_day', 'ctr_latest'])).toBeUndefined();
  });
});
