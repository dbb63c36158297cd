import fc from 'fast-check';
import { JsonRecordReader, type ReadItem } from '../../../../local-aws/ctr-sources/json-record-reader';

/** Feeds the text in chunks of `chunk` bytes and returns everything read. */
function read(text: string | Buffer, chunk = 7, options = {}): ReadItem[] {
  const reader = new JsonRecordReader(options);
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  const items: ReadItem[] = [];
  for (let i = 0; i < bytes.length; i += chunk) items.push(...reader.write(bytes.subarray(i, i + chunk)));
  items.push(...reader.end());
  return items;
}

/** Records as their ContactIds and malformed pieces as `!line:byte`, in order. */
function outline(items: readonly ReadItem[]): string[] {
  return items.map((item) =>
    item.kind === 'record' ? String(item.value.ContactId) : `!${item.position.line}:${item.position.byte}`,
  );
}

const ctr = (id: string, extra: Record<string, unknown> = {}): string => JSON.stringify({ ContactId: id, ...extra });

describe('JsonRecordReader', () => {
  describe('layouts', () => {
    it.each([
      ['one object', ctr('a'), ['a']],
      ['objects back to back', `${ctr('a')}${ctr('b')}${ctr('c')}`, ['a', 'b', 'c']],
      ['objects with whitespace between', `${ctr('a')} \n\t${ctr('b')}\r\n`, ['a', 'b']],
      ['JSON Lines', `${ctr('a')}\n${ctr('b')}\n`, ['a', 'b']],
      ['an array', `[${ctr('a')},\n ${ctr('b')}]`, ['a', 'b']],
      ['the console wrapper', `{ "records": [${ctr('a')}, ${ctr('b')}] }`, ['a', 'b']],
      [
        'a wrapper with other members after the array',
        `{"records":[${ctr('a')}],"n":{"x":[1]}}${ctr('b')}`,
        ['a', 'b'],
      ],
      ['a wrapper whose records come second', `{"note":"x","records":[${ctr('a')},${ctr('b')}]}`, ['a', 'b']],
      ['arrays back to back', `[${ctr('a')}][${ctr('b')}]`, ['a', 'b']],
      ['an empty array and an empty wrapper', '[] {"records": []}', []],
      ['nothing but whitespace', ' \n ', []],
    ])('reads %s', (_name, text, ids) => {
      // Act
      const items = read(text);

      // Assert
      expect(outline(items)).toEqual(ids);
    });

    it('keeps every value of a record, nested objects and numbers included', () => {
      // Arrange
      const record = { ContactId: 'a', Queue: { Duration: 39, Name: 'q "}{' }, Recordings: [{ x: -1.5e3 }], n: null };

      // Act
      const [item] = read(JSON.stringify(record), 1);

      // Assert
      expect(item).toEqual({ kind: 'record', value: record, position: { byte: 0, line: 1 } });
    });

    it('gives each record the byte offset and line where it starts, multi-byte characters counted as bytes', () => {
      // Arrange
      const text = `${ctr('é')}\n\n  ${ctr('b')}${ctr('c')}`;

      // Act
      const items = read(text, 3);

      // Assert
      const first = Buffer.byteLength(ctr('é'));
      expect(items.map((i) => i.position)).toEqual([
        { byte: 0, line: 1 },
        { byte: first + 4, line: 3 },
        { byte: first + 4 + ctr('b').length, line: 3 },
      ]);
    });

    it('counts positions from startOffset, as after a byte order mark', () => {
      // Act
      const items = read(ctr('a'), 7, { startOffset: 3 });

      // Assert
      expect(items[0]!.position).toEqual({ byte: 3, line: 1 });
    });
  });

  describe('malformed pieces', () => {
    it('reports a truncated JSON Lines record with its line, and reads the next line', () => {
      // Arrange
      const text = `${ctr('a')}\n${ctr('b').slice(0, 10)}\n${ctr('c')}\n`;

      // Act
      const items = read(text);

      // Assert
      expect(outline(items)).toEqual(['a', `!2:${ctr('a').length + 1}`, 'c']);
      expect(items[1]).toMatchObject({ kind: 'malformed', reason: expect.stringMatching(/inside a string/) });
    });

    it('reads the next line after a JSON Lines record cut right after a comma', () => {
      // Act
      const items = read(`{"ContactId":"a",\n${ctr('b')}\n${ctr('c')}`);

      // Assert
      expect(outline(items)).toEqual(['!1:0', 'b', 'c']);
    });

    it('does not take a nested object at the start of a line for a record when restarting in pretty JSON', () => {
      // Arrange: the first record is cut inside a string; the next one holds an array of objects, one per line.
      const pretty = JSON.stringify({ ContactId: 'b', Recordings: [{ x: 1 }, { y: 2 }] }, null, 2);

      // Act
      const items = read(`{"ContactId":"a","s":"cut\n${pretty}\n${ctr('c')}`);

      // Assert
      expect(outline(items).filter((id) => !id.startsWith('!'))).toEqual(['b', 'c']);
    });

    it('reports an object cut short that the next object follows directly, and reads that next object', () => {
      // Arrange: Agent's value is cut, so the next record's "{" is where a member name should be.
      const cut = '{"ContactId":"a","Agent":{';

      // Act
      const items = read(`${cut}${ctr('b')}${ctr('c')}`);

      // Assert
      expect(outline(items)).toEqual(['!1:0', 'b', 'c']);
      expect(items[0]).toMatchObject({
        reason: expect.stringMatching(/where a member name should be; 26 bytes skipped/),
      });
    });

    it('reports a line that is not JSON at the byte where it goes wrong', () => {
      // Act
      const items = read(`${ctr('a')}\nnot json\n${ctr('c')}`);

      // Assert
      expect(outline(items)).toEqual(['a', `!2:${ctr('a').length + 2}`, 'c']);
    });

    it('reads on inside an array after an element whose grammar is wrong but whose brackets close', () => {
      // Act
      const items = read(`[${ctr('a')},{"ContactId": },${ctr('c')}]`);

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length + 2}`, 'c']);
      expect(items[1]).toMatchObject({ reason: expect.stringMatching(/"}" at byte \d+ where a value should be/) });
    });

    it('does not take a "{" inside a string of a bad record for a record', () => {
      // Arrange: the bad record's attribute holds "{}", which a restart could read as an empty object.
      const bad = '{"ContactId":"b","Attributes":{"j":"{}"},"x":tru}';

      // Act
      const items = read(`${ctr('a')}${bad}${ctr('c')}`);

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length}`, 'c']);
    });

    it('reports values that are not objects, and goes on', () => {
      // Act
      const items = read(`5 ${ctr('a')} "x" [${ctr('b')}, null]`);

      // Assert
      expect(items.filter((i) => i.kind === 'malformed').map((i) => i.kind === 'malformed' && i.reason)).toEqual([
        'expected a CTR object, found a number',
        'expected a CTR object, found a string',
        'expected a CTR object, found null',
      ]);
      expect(outline(items).filter((i) => !i.startsWith('!'))).toEqual(['a', 'b']);
    });

    it('reports a record cut off by the end of the data', () => {
      // Act
      const items = read(`${ctr('a')}${ctr('b').slice(0, 12)}`);

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length}`]);
      expect(items[1]).toMatchObject({ reason: expect.stringMatching(/^the data ends inside/) });
    });

    it('reports an array that is never closed, after its elements', () => {
      // Act
      const items = read(`[${ctr('a')},`);

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length + 2}`]);
    });

    it('reports a value over the size limit without holding it, and reads the next', () => {
      // Arrange
      const big = ctr('big', { pad: 'x'.repeat(200), more: Array.from({ length: 50 }, (_, i) => i) });

      // Act
      const items = read(`${ctr('a')}${big}${ctr('c')}`, 16, { maxValueBytes: 100 });

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length}`, 'c']);
      expect(items[1]).toMatchObject({ reason: expect.stringMatching(/more than 100 bytes: not read/) });
    });

    it('reports one piece for a run of garbage, however many restarts it takes', () => {
      // Act
      const items = read(`${ctr('a')}}}{{{"x" : ]] {"y"${ctr('c')}`);

      // Assert
      expect(outline(items)).toEqual(['a', `!1:${ctr('a').length}`, 'c']);
    });
  });

  describe('whatever the chunking', () => {
    const record = fc.record({
      ContactId: fc.string({ minLength: 1, maxLength: 12 }),
      n: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.constant(null)),
      s: fc.string({ unit: 'grapheme', maxLength: 20 }),
      nested: fc.array(fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }), {
        maxLength: 3,
      }),
    });
    const layouts: Record<string, (records: readonly unknown[]) => string> = {
      concatenated: (records) => records.map((r) => JSON.stringify(r)).join(''),
      jsonl: (records) => records.map((r) => `${JSON.stringify(r)}\n`).join(''),
      pretty: (records) => records.map((r) => JSON.stringify(r, null, 2)).join('\n'),
      array: (records) => JSON.stringify(records),
      wrapper: (records) => JSON.stringify({ records }),
    };

    it('reads every record of every layout, split into chunks of any size', () => {
      fc.assert(
        fc.property(
          fc.array(record, { minLength: 1, maxLength: 6 }),
          fc.constantFrom(...Object.keys(layouts)),
          fc.integer({ min: 1, max: 64 }),
          (records, layout, chunk) => {
            // Act
            const items = read(layouts[layout]!(records), chunk);

            // Assert: JSON.parse(JSON.stringify) is what a record looks like after a trip through text.
            expect(items).toEqual(
              records.map((r) => expect.objectContaining({ kind: 'record', value: JSON.parse(JSON.stringify(r)) })),
            );
          },
        ),
        { numRuns: 300 },
      );
    });
  });
});
