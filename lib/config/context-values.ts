import { nearestName } from './nearest-name';

/**
 * Small, typed readers for CDK context values. Context arrives as JSON from cdk.json (numbers stay numbers) or as
 * strings from `cdk synth -c key=value`, so numeric readers accept both forms; everything else is refused with a
 * message that names the key, the value received and what is allowed.
 */

/** One refused context value. */
export interface ConfigIssue {
  readonly key: string;
  readonly received: string;
  readonly allowed: string;
}

/** Thrown when cdk.json context (or `-c`) holds values the app cannot deploy. Lists every bad key at once. */
export class CtrLakeConfigError extends Error {
  readonly issues: readonly ConfigIssue[];

  constructor(issues: readonly ConfigIssue[]) {
    super(
      `Invalid ctr-lake configuration (cdk.json "context" or -c):\n${issues
        .map((issue) => `  - "${issue.key}": received ${issue.received}; allowed: ${issue.allowed}`)
        .join('\n')}`,
    );
    this.name = 'CtrLakeConfigError';
    this.issues = issues;
  }
}

/** Renders a received value for an error message: its JSON form, clipped, with its type when not obvious. */
export function renderReceived(value: unknown): string {
  if (value === undefined) return 'nothing';
  const json = JSON.stringify(value) ?? String(value);
  const clipped = json.length > 60 ? `${json.slice(0, 60)}…` : json;
  return typeof value === 'string'
    ? `the string ${clipped}`
    : `${clipped} (${Array.isArray(value) ? 'array' : typeof value})`;
}

/** Reads context values by their full key, recording issues instead of throwing so that all of them are reported. */
export class ContextReader {
  private readonly issues: ConfigIssue[] = [];

  constructor(
    private readonly context: Readonly<Record<string, unknown>>,
    private readonly namespace: string,
  ) {}

  /** The full context key of a config name, e.g. `ctrLake:prefix`. */
  keyOf(name: string): string {
    return `${this.namespace}:${name}`;
  }

  raw(name: string): unknown {
    return this.context[this.keyOf(name)];
  }

  /** An integer in [min, max]; absent means the default. Integral numeric strings are accepted (`-c` passes strings). */
  integer(name: string, spec: { readonly default: number; readonly min: number; readonly max: number }): number {
    const value = this.raw(name);
    if (value === undefined || value === null) return spec.default;
    const parsed = toInteger(value);
    if (parsed === undefined || parsed < spec.min || parsed > spec.max) {
      this.refuse(name, value, `an integer from ${spec.min} to ${spec.max} (default ${spec.default})`);
      return spec.default;
    }
    return parsed;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(name: string, allowed: readonly T[], defaultValue: T): T {
    const value = this.raw(name);
    if (value === undefined || value === null) return defaultValue;
    if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
    this.refuse(name, value, `one of ${allowed.map((a) => `"${a}"`).join(', ')} (default "${defaultValue}")`);
    return defaultValue;
  }

  /** A string matching a pattern; `describe` says in words what the pattern allows. */
  matching(name: string, pattern: RegExp, describe: string, defaultValue: string): string;
  matching(name: string, pattern: RegExp, describe: string, defaultValue: undefined): string | undefined;
  matching(name: string, pattern: RegExp, describe: string, defaultValue: string | undefined): string | undefined {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') return defaultValue;
    if (typeof value === 'string' && pattern.test(value)) return value;
    this.refuse(name, value, describe);
    return defaultValue;
  }

  /**
   * A list of distinct non-empty strings: a JSON array in cdk.json; on the command line (`-c key=a,b`) a
   * comma-separated string or a JSON array. Absent or empty means none.
   */
  stringList(name: string, spec: { readonly maxItems: number; readonly maxLength: number }): string[] {
    const value = this.raw(name);
    if (value === undefined || value === null || value === '') return [];
    const items = typeof value === 'string' ? splitList(value) : value;
    const valid =
      Array.isArray(items) &&
      items.length <= spec.maxItems &&
      items.every((item) => typeof item === 'string' && item.length > 0 && item.length <= spec.maxLength) &&
      new Set(items).size === items.length;
    if (valid) return items as string[];
    this.refuse(
      name,
      value,
      `a list of at most ${spec.maxItems} distinct strings of 1-${spec.maxLength} characters ` +
        '(a JSON array, or comma-separated with -c; default none)',
    );
    return [];
  }

  /** Records an issue found by a cross-field check. */
  refuse(name: string, value: unknown, allowed: string): void {
    this.issues.push({ key: this.keyOf(name), received: renderReceived(value), allowed });
  }

  /** Refuses every key of this namespace that is not a known config name: a typo would otherwise be ignored. */
  refuseUnknown(known: readonly string[]): void {
    const prefix = `${this.namespace}:`;
    for (const key of Object.keys(this.context)) {
      if (key.startsWith(prefix) && !known.includes(key.slice(prefix.length))) {
        const guess = nearestName(key.slice(prefix.length), known);
        this.issues.push({
          key,
          received: renderReceived(this.context[key]),
          allowed: guess
            ? `no such setting; did you mean ${this.keyOf(guess)}?`
            : `no such setting; known keys are ${known.map((k) => this.keyOf(k)).join(', ')}`,
        });
      }
    }
  }

  /** Throws one error listing every issue, if any. */
  throwIfInvalid(): void {
    if (this.issues.length > 0) throw new CtrLakeConfigError(this.issues);
  }
}

function splitList(text: string): unknown {
  if (text.trim().startsWith('[')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  }
  return text.split(',').map((item) => item.trim());
}

function toInteger(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value.trim());
  return undefined;
}
