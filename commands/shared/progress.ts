/** Where progress goes: stderr, or a string sink in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

export interface ProgressLine {
  /**
   * Shows `text`: rewritten in place on a terminal; elsewhere written as its own line only when `milestone` differs
   * from the last one written (a log file should not get a line per batch), or never when `quietWhenPiped`.
   */
  update(text: string, milestone?: string): void;
  /** Ends the line in place so what follows starts on a fresh line. */
  end(): void;
}

/** The one progress display of every command. */
export function createProgressLine(stream: ProgressStream, options: { quietWhenPiped?: boolean } = {}): ProgressLine {
  let open = false;
  let lastMilestone: string | undefined;
  return {
    update(text, milestone) {
      if (stream.isTTY) {
        stream.write(`\r${text}\u001b[K`);
        open = true;
        return;
      }
      if (options.quietWhenPiped || milestone === lastMilestone) return;
      lastMilestone = milestone;
      stream.write(`${text}\n`);
    },
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
