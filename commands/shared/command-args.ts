import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestName } from '../../lib/config/nearest-name';

// The one "did you mean" of the project (command options, named queries, profiles, config keys) lives with the config.
export { editDistance, nearestName } from '../../lib/config/nearest-name';

type ParseArgsOptionConfig = NonNullable<ParseArgsConfig['options']>[string];

/**
 * The one argument parser of every command: Node's `util.parseArgs` for the typed values, with the checks done
 * first on its tokens so that each mistake gets one line a person can act on (`unknown option --regoin (did you mean
 * --region?)`, `--lake needs a value: --lake DIR`) and a short usage hint instead of the whole help.
 */

/** One option: parseArgs' own settings plus what its help line says. */
export type CommandOption = ParseArgsOptionConfig & {
  /** The value's name in the help, e.g. `DIR`. String options only. */
  readonly placeholder?: string;
  readonly help: string;
};

export type CommandOptions = Readonly<Record<string, CommandOption>>;

export interface CommandSpec<O extends CommandOptions> {
  /** How the user runs it, e.g. `npm run send --` or `npm start --`. */
  readonly invocation: string;
  /** What follows the invocation in the usage line, e.g. `FILE... [options]`. */
  readonly synopsis: string;
  /** One paragraph: what the command does. */
  readonly description: string;
  readonly options: O;
  /** How many positional arguments it takes, and what to call them in errors. @default none */
  readonly positionals?: { readonly name: string; readonly min?: number; readonly max?: number };
}

/** A command line that cannot be run: the message says what to fix, `usage` how the command is called. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly usage?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type ParsedValues<O extends CommandOptions> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>['values'];

export interface ParsedCommand<O extends CommandOptions> {
  readonly values: ParsedValues<O>;
  readonly positionals: readonly string[];
}

/** Parses `argv` against the spec; throws a UsageError naming the first mistake. */
export function parseCommandArgs<O extends CommandOptions>(
  spec: CommandSpec<O>,
  argv: readonly string[],
): ParsedCommand<O> {
  const usage = usageLine(spec);
  const fail = (message: string): never => {
    throw new UsageError(message, usage);
  };
  const loose = parseArgs({
    args: [...argv],
    options: spec.options,
    allowPositionals: true,
    strict: false,
    tokens: true,
  });
  for (const token of loose.tokens) {
    if (token.kind !== 'option') continue;
    const option = spec.options[token.name];
    if (!option) fail(unknownOption(token.rawName, Object.keys(spec.options)));
    else if (option.type === 'string' && token.value === undefined) {
      fail(`${token.rawName} needs a value: ${token.rawName} ${option.placeholder ?? 'VALUE'}`);
    } else if (option.type === 'boolean' && token.inlineValue) fail(`${token.rawName} takes no value`);
  }
  const { values, positionals } = parseArgs({
    args: [...argv],
    options: spec.options,
    allowPositionals: true,
    strict: true,
  });
  if (!(values as { help?: boolean }).help) checkPositionals(spec, positionals, fail);
  return { values, positionals };
}

function checkPositionals<O extends CommandOptions>(
  spec: CommandSpec<O>,
  positionals: readonly string[],
  fail: (message: string) => never,
): void {
  const { name, min = 0, max = 0 } = spec.positionals ?? { name: 'argument' };
  const stray = positionals[max];
  if (stray !== undefined) {
    const option = stray.startsWith('-') ? '' : nearestOption(`--${stray}`, Object.keys(spec.options));
    fail(
      max === 0
        ? `unexpected argument "${stray}"${option ? ` (did you mean ${option}?)` : ''}`
        : `unexpected argument "${stray}": at most ${max} ${name}${max === 1 ? '' : 's'}`,
    );
  }
  if (positionals.length < min) fail(`name ${max === 1 ? 'a' : `at least ${min === 1 ? 'one' : min}`} ${name}`);
}

function unknownOption(rawName: string, known: readonly string[]): string {
  const guess = nearestOption(rawName, known);
  return `unknown option ${rawName}${guess ? ` (did you mean ${guess}?)` : ''}`;
}

/** The known option closest to what was typed (`--regoin`), if it is close enough to be a typo. */
export function nearestOption(rawName: string, known: readonly string[]): string | undefined {
  const guess = nearestName(rawName.replace(/^-+/, '').split('=')[0]!, known);
  return guess === undefined ? undefined : `--${guess}`;
}

/** `usage: npm run send -- FILE... [options]   (--help lists the options)` */
export function usageLine<O extends CommandOptions>(spec: CommandSpec<O>): string {
  return `usage: ${spec.invocation} ${spec.synopsis}   (--help lists the options)`;
}

/** The whole help: usage, description, and one line per option. */
export function commandHelp<O extends CommandOptions>(spec: CommandSpec<O>): string {
  const lines = Object.entries(spec.options).map(([name, option]) => {
    const flag = `--${name}${option.type === 'string' ? ` ${option.placeholder ?? 'VALUE'}` : ''}`;
    return { flag, help: option.help };
  });
  const width = Math.max(...lines.map((line) => line.flag.length)) + 2;
  const body = lines
    .map(({ flag, help }) => {
      const [first, ...rest] = help.split('\n');
      return [`  ${flag.padEnd(width)}${first}`, ...rest.map((more) => `  ${' '.repeat(width)}${more}`)].join('\n');
    })
    .join('\n');
  return `Usage: ${spec.invocation} ${spec.synopsis}\n\n${spec.description}\n\nOptions:\n${body}`;
}

/** An option that must be a whole number in a range, with the one-line error the parser gives. */
export function integerOption(flag: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) {
    throw new UsageError(`${flag} must be an integer from ${min} to ${max}, received "${text}"`);
  }
  return value;
}
