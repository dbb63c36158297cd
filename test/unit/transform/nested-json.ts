/**
 * JSON text nested `depth` levels around `leaf` (JSON text), built by string repetition: JSON.stringify would
 * overflow the call stack on the deep values these texts parse to. `array` nests `[[…]]`, `object` nests
 * `{"k":{"k":…}}`, `mixed` alternates them.
 */
export function nestedJson(depth: number, shape: 'array' | 'object' | 'mixed', leaf = '1'): string {
  const open = (level: number): string => (shape === 'array' || (shape === 'mixed' && level % 2 === 0) ? '[' : '{"k":');
  const close = (level: number): string => (shape === 'array' || (shape === 'mixed' && level % 2 === 0) ? ']' : '}');
  if (shape !== 'mixed') return open(0).repeat(depth) + leaf + close(0).repeat(depth);
  const opens: string[] = [];
  const closes: string[] = [];
  for (let level = 0; level < depth; level += 1) {
    opens.push(open(level));
    closes.push(close(depth - 1 - level));
  }
  return opens.join('') + leaf + closes.join('');
}
