import { Tokenizer, TokenizerError, TokenParser, TokenType } from '@streamparser/json';
import type { ParsedTokenInfo } from '@streamparser/json';
import { ByteWindow } from './byte-window';

/*
 * Why @streamparser/json: its Tokenizer reports every token with its byte offset in the stream, and its Tokenizer
 * and TokenParser are separate, synchronous, dependency-free classes that ship a CommonJS build. That lets this reader
 * give the library each record's tokens, one record at a time (constant memory, whatever the file size), know where
 * each record starts, and start a fresh tokenizer after a malformed piece. stream-json (the other well-kept choice)
 * is ESM-only since 3.0 and its tokens carry no offsets, so neither "byte N" in a report nor a restart inside the
 * data would be possible without counting bytes by hand. The lexing (strings, escapes, numbers, UTF-8 split across
 * chunks) and the grammar of each record stay the library's; this file only decides where records begin and end.
 */

/** Where something is in a source: byte offset (of the decompressed data) and 1-based line. */
export interface Position {
  readonly byte: number;
  readonly line: number;
}

export type ReadItem =
  | { readonly kind: 'record'; readonly value: Record<string, unknown>; readonly position: Position }
  | { readonly kind: 'malformed'; readonly position: Position; readonly reason: string };

export interface JsonRecordReaderOptions {
  /** A single value larger than this is reported, not held. @default 8 MiB */
  readonly maxValueBytes?: number;
  /** Absolute offset of the first byte written (after a byte order mark that was skipped, say). @default 0 */
  readonly startOffset?: number;
}

export const DEFAULT_MAX_VALUE_BYTES = 8 * 1024 * 1024;

type Mode = 'top' | 'array' | 'wrapper' | 'wrapper-tail';
type Expect = 'element-or-close' | 'element' | 'comma-or-close';
/** How far a top-level object has shown itself to be `{ "records": [`. */
type WrapperProbe = 'brace' | 'key' | 'colon' | 'no';

interface OpenValue {
  readonly start: number;
  readonly line: number;
  readonly baseDepth: number;
  /** Builds the value; dropped once the value is known to be reported instead (`problem`). */
  parser: TokenParser | undefined;
  /** Why the value will be reported as malformed when it closes: too large, or bad grammar inside an element. */
  problem?: string;
  tooLarge?: boolean;
  value?: unknown;
  complete: boolean;
  probe: WrapperProbe;
}

/** The reader stopped understanding the data at this token: read again from the next restart point. */
class Desync extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/**
 * Reads CTR records out of a byte stream written in chunks: one JSON object, a JSON array of objects,
 * `{ "records": [...] }`, JSON Lines, or objects one after another with or without whitespace between them (as
 * Firehose writes them to S3). `write` and `end` return what the bytes so far completed, in order: records with
 * their position, and malformed pieces with their position and reason.
 *
 * After a malformed piece, reading starts again at the next `{` that can only begin a top-level value (see
 * ByteWindow.findRestart), so one bad record costs that record, not the rest of the file. The first value read after
 * such a restart must be followed by another top-level value or the end of the data, else it was a piece of the bad
 * one and is counted with it. Elements of an array after a malformed one are not recovered unless they follow a
 * `}` with no comma between (the reader cannot tell an element from a nested object once it lost its place); the
 * report says where the skipped bytes end.
 */
export class JsonRecordReader {
  private readonly maxValueBytes: number;
  private readonly window: ByteWindow;
  private tokenizer!: Tokenizer;
  private base = 0;
  /** Absolute offset of the token being handed to a TokenParser, for its error messages. */
  private tokenAt = 0;
  private mode: Mode = 'top';
  private expect: Expect = 'element-or-close';
  private depth = 0;
  private open: OpenValue | undefined;
  /** A value read right after a restart, kept until what follows it shows it is real. */
  private probation: { pending?: { value: unknown; start: number; line: number } } | undefined;
  private region: { start: number; line: number; reason: string } | undefined;
  private failure: Desync | undefined;
  private bug: unknown;
  private seeking = false;
  private out: ReadItem[] = [];

  constructor(options: JsonRecordReaderOptions = {}) {
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.window = new ByteWindow(options.startOffset ?? 0);
    this.startTokenizer(options.startOffset ?? 0);
  }

  /** Where the data received so far ends. */
  get endPosition(): Position {
    const byte = this.window.endOffset;
    return { byte, line: this.window.lineAt(byte) };
  }

  write(chunk: Buffer): ReadItem[] {
    const from = this.window.endOffset;
    this.window.append(chunk);
    this.pump(from);
    this.window.releaseBefore(this.keepFrom());
    return this.drain();
  }

  end(): ReadItem[] {
    while (!this.seeking) {
      this.tokenizer.end();
      this.rethrowBug();
      if (!this.failure && this.open) {
        this.failure = new Desync('the data ends inside this value (truncated?)', this.open.start);
      }
      if (!this.failure) {
        this.finishAtEnd();
        break;
      }
      // Read on from a restart point inside what is left, then end again.
      this.pump(this.fail(this.failure));
    }
    if (this.region) this.closeRegion(this.window.endOffset);
    return this.drain();
  }

  private drain(): ReadItem[] {
    const items = this.out;
    this.out = [];
    return items;
  }

  private pump(from: number): void {
    let offset = from;
    for (;;) {
      if (this.seeking) {
        const restart = this.window.findRestart(offset);
        if (restart < 0) return;
        this.seeking = false;
        this.startTokenizer(restart);
        this.probation = {};
        offset = restart;
      }
      this.tokenizer.write(this.window.from(offset));
      this.rethrowBug();
      if (!this.failure) return;
      offset = this.fail(this.failure);
    }
  }

  /** Records the malformed piece, forgets the state of the failed read, and returns where to look for a restart. */
  private fail(failure: Desync): number {
    const start = this.open?.start ?? this.probation?.pending?.start ?? failure.at;
    const line = this.open?.line ?? this.probation?.pending?.line ?? this.window.lineAt(start);
    this.region ??= { start, line, reason: failure.message };
    this.failure = undefined;
    this.open = undefined;
    this.probation = undefined;
    this.mode = 'top';
    this.depth = 0;
    this.seeking = true;
    return Math.max(start + 1, this.window.startOffset);
  }

  private finishAtEnd(): void {
    if (this.probation?.pending) this.accept(this.probation.pending);
    this.probation = undefined;
    if (this.mode !== 'top') {
      this.malformedAt(this.window.endOffset, 'the data ends before the array that holds the records is closed');
    }
  }

  private startTokenizer(at: number): void {
    this.base = at;
    this.tokenizer = new Tokenizer();
    this.tokenizer.onToken = (token) => this.onToken(token);
    this.tokenizer.onError = (error) => this.onError(error);
  }

  private onError(error: Error): void {
    if (error instanceof Desync) this.failure = error;
    else if (error instanceof TokenizerError) {
      const { reason, at } = describeTokenizerError(error, this.base);
      this.failure = new Desync(reason, at ?? this.base);
    } else this.bug = error;
  }

  private rethrowBug(): void {
    if (this.bug === undefined) return;
    const bug = this.bug;
    this.bug = undefined;
    throw bug;
  }

  private onToken(info: ParsedTokenInfo): void {
    const at = this.base + info.offset;
    const { token } = info;
    if (this.probation?.pending) {
      if (token !== TokenType.LEFT_BRACE && token !== TokenType.LEFT_BRACKET) {
        throw new Desync(`${describeToken(info, at)} follows the object at byte ${this.probation.pending.start}`, at);
      }
      this.accept(this.probation.pending);
      this.probation = undefined;
    }
    if (this.open) {
      this.continueValue(info, at);
      return;
    }
    switch (this.mode) {
      case 'top':
        if (token === TokenType.LEFT_BRACKET) {
          this.depth = 1;
          this.mode = 'array';
          this.expect = 'element-or-close';
        } else if (startsValue(token)) {
          this.openValue(info, at, 0);
        } else {
          throw new Desync(`${describeToken(info, at)} where a JSON value should start`, at);
        }
        return;
      case 'array':
      case 'wrapper':
        this.onElementToken(info, at);
        return;
      case 'wrapper-tail':
        // Other members of a `{ "records": [...] }` object after the array: skipped, only their nesting matters.
        this.track(token);
        if (this.depth === 0) this.mode = 'top';
        return;
    }
  }

  private onElementToken(info: ParsedTokenInfo, at: number): void {
    const { token } = info;
    if (this.expect === 'comma-or-close' && token === TokenType.COMMA) {
      this.expect = 'element';
    } else if (this.expect !== 'element' && token === TokenType.RIGHT_BRACKET) {
      this.depth -= 1;
      this.mode = this.mode === 'array' ? 'top' : 'wrapper-tail';
    } else if (this.expect !== 'comma-or-close' && startsValue(token)) {
      this.openValue(info, at, this.depth);
      this.expect = 'comma-or-close';
    } else {
      const wanted = this.expect === 'comma-or-close' ? '"," or "]"' : 'an array element';
      throw new Desync(`${describeToken(info, at)} where ${wanted} should be`, at);
    }
  }

  private openValue(info: ParsedTokenInfo, at: number, baseDepth: number): void {
    const parser = new TokenParser({ paths: ['$'] });
    const open: OpenValue = {
      start: at,
      line: this.window.lineAt(at),
      baseDepth,
      parser,
      complete: false,
      probe: this.mode === 'top' && info.token === TokenType.LEFT_BRACE ? 'brace' : 'no',
    };
    parser.onValue = ({ value }) => {
      open.value = value;
      open.complete = true;
    };
    parser.onError = (error) => {
      const reason = describeParserError(error, this.tokenAt);
      // Inside an array the element's brackets still show where it ends: skip to there and go on with the array.
      // A top-level value has no such frame (a truncated object would swallow the next ones), so read again from
      // the next restart point instead.
      if (baseDepth === 0) throw new Desync(reason, at);
      open.parser = undefined;
      open.problem = reason;
    };
    this.open = open;
    this.feed(open, info, at);
  }

  private continueValue(info: ParsedTokenInfo, at: number): void {
    const open = this.open!;
    if (open.probe !== 'no' && this.probeWrapper(open, info)) return;
    this.feed(open, info, at);
  }

  /** Turns `{ "records": [` at the top level into wrapper mode, whose elements are the records. */
  private probeWrapper(open: OpenValue, info: ParsedTokenInfo): boolean {
    const next: Record<WrapperProbe, WrapperProbe> = { brace: 'key', key: 'colon', colon: 'no', no: 'no' };
    const matches =
      (open.probe === 'brace' && info.token === TokenType.STRING && info.value === 'records') ||
      (open.probe === 'key' && info.token === TokenType.COLON) ||
      (open.probe === 'colon' && info.token === TokenType.LEFT_BRACKET);
    if (!matches) {
      open.probe = 'no';
      return false;
    }
    if (open.probe !== 'colon') {
      open.probe = next[open.probe];
      return false;
    }
    this.open = undefined;
    this.probation = undefined; // `{ "records": [` is structure enough to trust the restart
    this.depth = 2;
    this.mode = 'wrapper';
    this.expect = 'element-or-close';
    return true;
  }

  private feed(open: OpenValue, info: ParsedTokenInfo, at: number): void {
    this.track(info.token);
    // Too large: stop building it (a single string token is still held whole by the tokenizer until it ends).
    if (open.parser && at - open.start > this.maxValueBytes) {
      open.parser = undefined;
      open.problem = `a JSON value of more than ${this.maxValueBytes} bytes: not read`;
      open.tooLarge = true;
    }
    this.tokenAt = at;
    open.parser?.write(info);
    this.closeValue(open, at);
  }

  private closeValue(open: OpenValue, at: number): void {
    if (this.depth !== open.baseDepth) return;
    this.open = undefined;
    if (open.problem !== undefined) {
      this.malformed(open, open.tooLarge ? `${open.problem} (it ends at byte ${at})` : open.problem);
    } else if (!open.complete) {
      throw new Desync(`the value at byte ${open.start} is incomplete`, at);
    } else if (this.mode === 'top' && this.probation) {
      this.probation.pending = { value: open.value, start: open.start, line: open.line };
    } else {
      this.accept({ value: open.value, start: open.start, line: open.line });
    }
  }

  private accept(found: { value: unknown; start: number; line: number }): void {
    const position = { byte: found.start, line: found.line };
    if (this.region) this.closeRegion(found.start);
    const { value } = found;
    if (!isPlainObject(value)) {
      this.out.push({ kind: 'malformed', position, reason: `expected a CTR object, found ${kindOf(value)}` });
    } else if (this.mode === 'top' && !('ContactId' in value) && Array.isArray(value.records)) {
      // `{ ..., "records": [...] }` with another member first: read whole, within the size limit.
      for (const record of value.records) {
        this.out.push(
          isPlainObject(record)
            ? { kind: 'record', value: record, position }
            : { kind: 'malformed', position, reason: `expected a CTR object in "records", found ${kindOf(record)}` },
        );
      }
    } else {
      this.out.push({ kind: 'record', value, position });
    }
  }

  private malformed(open: OpenValue, reason: string): void {
    if (this.region) this.closeRegion(open.start);
    this.out.push({ kind: 'malformed', position: { byte: open.start, line: open.line }, reason });
  }

  private malformedAt(at: number, reason: string): void {
    if (this.region) this.closeRegion(at);
    this.out.push({ kind: 'malformed', position: { byte: at, line: this.window.lineAt(at) }, reason });
  }

  private closeRegion(end: number): void {
    const region = this.region!;
    this.region = undefined;
    const skipped = end - region.start;
    this.out.push({
      kind: 'malformed',
      position: { byte: region.start, line: region.line },
      reason: `${region.reason}; ${skipped} ${skipped === 1 ? 'byte' : 'bytes'} skipped`,
    });
  }

  private track(token: TokenType): void {
    if (token === TokenType.LEFT_BRACE || token === TokenType.LEFT_BRACKET) this.depth += 1;
    else if (token === TokenType.RIGHT_BRACE || token === TokenType.RIGHT_BRACKET) this.depth -= 1;
  }

  /**
   * The window must keep the value being read, even one already known to be bad (a restart may have to look inside
   * it), unless it is over the size limit.
   */
  private keepFrom(): number {
    const open = this.open;
    if (open && !open.tooLarge) return open.start;
    if (this.probation?.pending) return this.probation.pending.start;
    return this.window.endOffset;
  }
}

function startsValue(token: TokenType): boolean {
  return (
    token === TokenType.LEFT_BRACE ||
    token === TokenType.LEFT_BRACKET ||
    token === TokenType.STRING ||
    token === TokenType.NUMBER ||
    token === TokenType.TRUE ||
    token === TokenType.FALSE ||
    token === TokenType.NULL
  );
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

const TOKEN_TEXT: Record<TokenType, string> = {
  [TokenType.LEFT_BRACE]: '"{"',
  [TokenType.RIGHT_BRACE]: '"}"',
  [TokenType.LEFT_BRACKET]: '"["',
  [TokenType.RIGHT_BRACKET]: '"]"',
  [TokenType.COLON]: '":"',
  [TokenType.COMMA]: '","',
  [TokenType.TRUE]: 'true',
  [TokenType.FALSE]: 'false',
  [TokenType.NULL]: 'null',
  [TokenType.STRING]: 'a string',
  [TokenType.NUMBER]: 'a number',
  [TokenType.SEPARATOR]: 'a separator',
};

function describeToken(info: ParsedTokenInfo, at: number): string {
  return `${TOKEN_TEXT[info.token]} at byte ${at}`;
}

const EXPECTED_IN_STATE: Readonly<Record<string, string>> = {
  VALUE: 'a value',
  KEY: 'a member name',
  COLON: '":"',
  COMMA: '"," or a closing bracket',
};

/** `Unexpected RIGHT_BRACE ("}") in state VALUE` → `"}" at byte N where a value should be`. */
function describeParserError(error: Error, at: number): string {
  const match = /^Unexpected \w+ \((.*)\) in state (\w+)$/.exec(error.message);
  const expected = match ? EXPECTED_IN_STATE[match[2]!] : undefined;
  return match && expected ? `${match[1]} at byte ${at} where ${expected} should be` : `${error.message} at byte ${at}`;
}

const INSIDE_STATE: readonly [RegExp, string][] = [
  [/^STRING/, 'inside a string'],
  [/^NUMBER/, 'inside a number'],
  [/^(TRUE|FALSE|NULL)/, 'inside true, false or null'],
  [/^(START|BOM)/, 'where a JSON token should start'],
];

/**
 * The tokenizer's message in plain words, with its position made absolute: the tokenizer counts from where it was
 * started, which after a restart is not the start of the data. Returns that position when the message has one.
 */
function describeTokenizerError(error: Error, base: number): { reason: string; at?: number } {
  const unexpected = /^Unexpected (".*") at chunk position "\d+" \(absolute position "(\d+)"\) in state (\w+)$/s.exec(
    error.message,
  );
  if (unexpected) {
    const at = base + Number(unexpected[2]);
    const where = INSIDE_STATE.find(([pattern]) => pattern.test(unexpected[3]!))?.[1] ?? `(state ${unexpected[3]})`;
    return { reason: `unexpected ${JSON.stringify(unexpected[1]!.slice(1, -1))} at byte ${at} ${where}`, at };
  }
  if (/ended in the middle of a token/.test(error.message)) return { reason: 'the data ends inside a token' };
  return { reason: error.message };
}
