import type { PipelineProgress } from '../../local-aws/pipeline/pipeline-options';
import { createProgressLine, type ProgressStream } from '../shared/progress';

/** Inputs up to this many records finish too fast for a progress display to help. */
export const PROGRESS_THRESHOLD = 300;

const LABEL: Record<PipelineProgress['stage'], string> = { send: 'sent', check: 'checked' };

/** `npm start`'s progress for large inputs: records sent and checked, a line per 10 % when not on a terminal. */
export function createProgressReporter(stream: ProgressStream): {
  report(progress: PipelineProgress): void;
  end(): void;
} {
  const line = createProgressLine(stream);
  return {
    report({ stage, done, total }) {
      if (total <= PROGRESS_THRESHOLD) return;
      const text = `${LABEL[stage]} ${done}/${total} records (${Math.floor((done / total) * 100)}%)`;
      line.update(text, `${stage} ${Math.floor((done / total) * 10)}`);
    },
    end: () => line.end(),
  };
}
