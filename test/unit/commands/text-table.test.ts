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
