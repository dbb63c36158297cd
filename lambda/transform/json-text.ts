/**
 * JSON text of a value parsed from JSON, exactly as JSON.stringify writes it (keys in enumeration order, no spaces),
 * but without recursion. JSON.stringify recurses once per nesting level and throws RangeError (call stack exceeded)
 * a few thousand levels down, while JSON.parse and the checker's canonicaliser cope with any depth: a CTR the checker
 * accepted must not be able to make the transform throw. The explicit stack below grows on the heap instead.
 *
 * Only JSON types are expected (strings, numbers, booleans, null, arrays, plain objects); anything else has no JSON
 * text here and throws TypeError, which the transform turns into that record's failure.
 */
export function jsonText(value: unknown): string {
  const parts: string[] = [];
  const stack: Frame[] = [];
  const write = (item: unknown): void => {
    if (Array.isArray(item)) {
      parts.push('[');
      stack.push({ kind: 'array', items: item, index: 0 });
    } else if (typeof item === 'object' && item !== null) {
      parts.push('{');
      const fields = item as Readonly<Record<string, unknown>>;
      stack.push({ kind: 'object', fields, keys: Object.keys(fields), index: 0 });
    } else {
      parts.push(scalarText(item));
    }
  };

  write(value);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const length = frame.kind === 'array' ? frame.items.length : frame.keys.length;
    if (frame.index === length) {
      parts.push(frame.kind === 'array' ? ']' : '}');
      stack.pop();
      continue;
    }
    const index = frame.index;
    frame.index += 1;
    if (index > 0) parts.push(',');
    if (frame.kind === 'array') {
      write(frame.items[index]);
    } else {
      const key = frame.keys[index]!;
      parts.push(JSON.stringify(key), ':');
      write(frame.fields[key]);
    }
  }
  return parts.join('');
}

type Frame =
  | { readonly kind: 'array'; readonly items: readonly unknown[]; index: number }
  | {
      readonly kind: 'object';
      readonly fields: Readonly<Record<string, unknown>>;
      readonly keys: readonly string[];
      index: number;
    };

function scalarText(value: unknown): string {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      // Scalars do not nest: the native serialiser escapes strings and formats numbers as JSON.stringify does.
      return JSON.stringify(value);
    case 'object': // null: arrays and objects never reach here
      return 'null';
    default:
      throw new TypeError(`a ${typeof value} has no JSON text`);
  }
}
