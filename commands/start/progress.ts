import type { PipelineProgress } from '../../local-aws/pipeline/pipeline-options';

/** Inputs up to this many records finish too fast for a progress display to help. */
export const PROGRESS_THRESHOLD = 300;

const LABEL: Record<PipelineProgress['stage'], string> = { send: 'sent', check: 'checked' };

/**
 * Progress on stderr for large inputs: one line rewritten in place on a terminal, or a line per 10 % otherwise
 * (a log file should not get a line per batch).
 */
export function createProgressReporter(stream: { write(text: string): unknown; isTTY?: boolean }): {
  report(progress: PipelineProgress): void;
  end(): void;
} {
  let lastDecile = new Map<string, number>();
  let open = false;
  return {
    report({ stage, done, total }) {
      if (total <= PROGRESS_THRESHOLD) return;
      const text = `${LABEL[stage]} ${done}/${total} records (${Math.floor((done / total) * 100)}%)`;
      if (stream.isTTY) {
        stream.write(`\r${text}\u001b[K`);
        open = true;
        return;
      }
      const decile = Math.floor((done / total) * 10);
      if (decile !== lastDecile.get(stage)) {
        lastDecile = new Map(lastDecile).set(stage, decile);
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (open) stream.write('\n');
      open = false;
    },
  };
}
