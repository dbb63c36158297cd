const NEWLINE = 0x0a;

/**
 * The bytes of a stream from the start of the JSON value being read to the end of what has arrived, so that reading
 * can start again inside them after an error, plus the line number of any position in them. Everything before the
 * window has been released: the window never holds more than one value (bounded by the reader's size limit) and the
 * last chunk.
 */
export class ByteWindow {
  private bytes: Buffer = Buffer.alloc(0);
  /** Absolute offset of bytes[0]. */
  private start: number;
  /** A position whose line is known, never before `start`. */
  private cursor: { offset: number; line: number };
  /** What contextBefore finds before the window: the start of the data counts as the start of a line. */
  private before = { previous: 0, newlineSince: true };

  constructor(startOffset = 0) {
    this.start = startOffset;
    this.cursor = { offset: startOffset, line: 1 };
  }

  /** Absolute offset of the first byte held. */
  get startOffset(): number {
    return this.start;
  }

  /** Absolute offset just past the last byte received. */
  get endOffset(): number {
    return this.start + this.bytes.length;
  }

  append(chunk: Buffer): void {
    this.bytes = this.bytes.length === 0 ? chunk : Buffer.concat([this.bytes, chunk]);
  }

  /** The bytes from `offset` (absolute, inside the window) to the end. */
  from(offset: number): Buffer {
    return this.bytes.subarray(Math.max(0, offset - this.start));
  }

  /** Releases every byte before `offset` (absolute). */
  releaseBefore(offset: number): void {
    const cut = Math.min(Math.max(0, offset - this.start), this.bytes.length);
    if (cut === 0) return;
    this.advanceCursor(this.start + cut);
    this.before = this.contextBefore(this.start + cut);
    this.bytes = this.bytes.subarray(cut);
    this.start += cut;
  }

  /** 1-based line of an absolute offset: positions before the line cursor are counted back from it. */
  lineAt(offset: number): number {
    if (offset >= this.cursor.offset) {
      this.advanceCursor(Math.min(offset, this.endOffset));
      return this.cursor.line;
    }
    const from = Math.max(offset, this.start) - this.start;
    return this.cursor.line - countNewlines(this.bytes, from, this.cursor.offset - this.start);
  }

  /**
   * The first `{` at or after `offset` that may start a top-level value: one at the start of a line (JSON Lines), or
   * one whose previous byte that is not whitespace is none of `:`, `,` and `[`, which precede every nested object in
   * valid JSON. Returns -1 when the window holds none. A `{` inside a string, or a nested one at the start of a line,
   * can pass this test: reading from it fails fast, or is caught by the reader's check of what follows the first
   * value after a restart.
   */
  findRestart(offset: number): number {
    let { previous, newlineSince } = this.contextBefore(offset);
    for (let i = Math.max(0, offset - this.start); i < this.bytes.length; i += 1) {
      const byte = this.bytes[i]!;
      if (byte === LEFT_BRACE && (newlineSince || !NESTED_VALUE_PRECEDERS.has(previous))) return this.start + i;
      if (byte === NEWLINE) newlineSince = true;
      else if (!isWhitespace(byte)) {
        previous = byte;
        newlineSince = false;
      }
    }
    return -1;
  }

  /** The last byte before `offset` that is not whitespace, and whether a newline comes after it (or none at all). */
  private contextBefore(offset: number): { previous: number; newlineSince: boolean } {
    const index = Math.max(0, offset - this.start);
    let newlineSince = false;
    for (let i = index - 1; i >= 0; i -= 1) {
      const byte = this.bytes[i]!;
      if (byte === NEWLINE) newlineSince = true;
      else if (!isWhitespace(byte)) return { previous: byte, newlineSince };
    }
    return { previous: this.before.previous, newlineSince: newlineSince || this.before.newlineSince };
  }

  private advanceCursor(offset: number): void {
    if (offset <= this.cursor.offset) return;
    const from = this.cursor.offset - this.start;
    this.cursor = { offset, line: this.cursor.line + countNewlines(this.bytes, from, offset - this.start) };
  }
}

const LEFT_BRACE = 0x7b;
const NESTED_VALUE_PRECEDERS = new Set([0x3a, 0x2c, 0x5b]); // : , [

function isWhitespace(byte: number): boolean {
  return byte === 0x20 || byte === 0x0a || byte === 0x0d || byte === 0x09;
}

function countNewlines(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(NEWLINE, from); i !== -1 && i < to; i = bytes.indexOf(NEWLINE, i + 1)) count += 1;
  return count;
}
