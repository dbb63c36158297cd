import type { MalformedPiece, Position } from '../../local-aws/ctr-sources/read-ctrs';

/** `samples/x.jsonl line 3 (byte 812)`: where something is in a source, as every command prints it. */
export function formatPosition(source: string, position: Position): string {
  return `${source} line ${position.line} (byte ${position.byte})`;
}

/** Malformed pieces at most this many are listed in text; `--json` has them all. */
export const MALFORMED_SHOWN = 5;

/** One line per malformed piece, the first MALFORMED_SHOWN of them, then how many more there are. */
export function renderMalformed(pieces: readonly MalformedPiece[], indent = '  '): string[] {
  const lines = pieces
    .slice(0, MALFORMED_SHOWN)
    .map((piece) => `${indent}${formatPosition(piece.source, piece.position)}: ${piece.reason}`);
  if (pieces.length > MALFORMED_SHOWN)
    lines.push(`${indent}… ${pieces.length - MALFORMED_SHOWN} more (--json lists them all)`);
  return lines;
}
