import type { PipelineProgress } from '../../local-aws/pipeline/pipeline-options';
import { formatBytes } from '../shared/athena-rows';
import { createProgressLine, type ProgressStream } from '../shared/progress';

/** Inputs up to this many records finish too fast for a progress display to help. */
export const PROGRESS_THRESHOLD = 300;

/** Samples up to this many bytes (about 300 CTRs) are read too fast for a progress display to help. */
export const PROGRESS_THRESHOLD_BYTES = 1024 * 1024;

const LABEL: Record<PipelineProgress['stage'], string> = { read: 'read', send: 'sent', check: 'checked' };

/**
 * `npm start`'s progress for large inputs: samples bytes read, events sent and records checked, a line per 10 % when
 * not on a terminal.
 */
export function createProgressReporter(stream: ProgressStream): {
  report(progress: PipelineProgress): void;
  end(): void;
} {
  const line = createProgressLine(stream);
  return {
    report({ stage, done, total }) {
      const percent = `(${Math.floor((done / total) * 100)}%)`;
      if (stage === 'read') {
        if (total <= PROGRESS_THRESHOLD_BYTES) return;
        line.update(
          `read ${formatBytes(done)} of ${formatBytes(total)} ${percent}`,
          `read ${Math.floor((done / total) * 10)}`,
        );
        return;
      }
      if (total <= PROGRESS_THRESHOLD) return;
      const text = `${LABEL[stage]} ${done}/${total} ${stage === 'send' ? 'events' : 'records'} ${percent}`;
      line.update(text, `${stage} ${Math.floor((done / total) * 10)}`);
    },
    end: () => line.end(),
  };
}
