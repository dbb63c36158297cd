import { formatCell, renderTable } from '../../../commands/shared/text-table';

describe('renderTable', () => {
  it('aligns text left and numbers right under a dashed header', () => {
    // Act
    const table = renderTable(
      ['day', 'channel', 'calls'],
      [
        { day: '2026-03-04', channel: 'VOICE', calls: 12 },
        { day: '2026-03-05', channel: 'CHAT', calls: 3 },
      ],
    );

    // Assert
    expect(table).toBe(
      [
        'day         channel  calls',
        '----------  -------  -----',
        '2026-03-04  VOICE       12',
        '2026-03-05  CHAT         3',
      ].join('\n'),
    );
  });

  it('cuts long cells with an ellipsis', () => {
    // Act
    const table = renderTable(['raw'], [{ raw: 'x'.repeat(50) }], { maxCellWidth: 10 });

    // Assert
    expect(table.split('\n')[2]).toBe(`${'x'.repeat(9)}…`);
  });

  it('says so when there are no rows', () => {
    // Act / Assert
    expect(renderTable(['fingerprint', 'copies'], [])).toBe('fingerprint  copies\n-----------  ------\n(no rows)');
  });
});

describe('formatCell', () => {
  it.each([
    [null, ''],
    [undefined, ''],
    [true, 'true'],
    [{ language: 'en-US' }, '{"language":"en-US"}'],
  ])('renders %j as %j', (value, text) => {
    // Act / Assert
    expect(formatCell(value)).toBe(text);
  });
});

describe('renderTable with a maximum line width', () => {
  it('cuts the widest columns until every line fits, keeping narrow ones whole', () => {
    // Arrange
    const rows = [{ id: 'i'.repeat(36), note: 'n'.repeat(60), n: 7 }];

    // Act
    const table = renderTable(['id', 'note', 'n'], rows, { maxCellWidth: 64, maxWidth: 80 });
    const lines = table.split('\n');

    // Assert
    expect(Math.max(...lines.map((line) => line.length))).toBe(80);
    expect(lines[2]).toContain('n'.repeat(35));
    expect(lines[2]).toMatch(/…\s+7$/);
  });

  it('leaves a table that fits as it is', () => {
    // Arrange
    const rows = [{ fingerprint: 'f'.repeat(64), copies: 2 }];

    // Act
    const table = renderTable(['fingerprint', 'copies'], rows, { maxCellWidth: 64, maxWidth: 120 });

    // Assert
    expect(table.split('\n')[2]).toBe(`${'f'.repeat(64)}       2`);
  });
});
