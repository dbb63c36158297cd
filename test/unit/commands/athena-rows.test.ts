import { formatBytes, toRowObjects } from '../../../commands/shared/athena-rows';

describe('toRowObjects', () => {
  const columns = [
    { Name: 'day', Type: 'date' },
    { Name: 'channel', Type: 'varchar' },
    { Name: 'calls', Type: 'bigint' },
    { Name: 'avg', Type: 'double' },
  ];
  const row = (...values: (string | undefined)[]) => ({
    Data: values.map((v) => (v === undefined ? {} : { VarCharValue: v })),
  });

  it('skips the header row of the first page and types numbers', () => {
    // Arrange
    const pages = [
      [row('day', 'channel', 'calls', 'avg'), row('2026-03-04', 'VOICE', '2', '12.5')],
      [row('2026-03-05', 'CHAT', '1', undefined)],
    ];

    // Act
    const rows = toRowObjects(columns, pages);

    // Assert
    expect(rows).toEqual([
      { day: '2026-03-04', channel: 'VOICE', calls: 2, avg: 12.5 },
      { day: '2026-03-05', channel: 'CHAT', calls: 1, avg: null },
    ]);
  });

  it('keeps integers beyond double precision as text', () => {
    // Act
    const rows = toRowObjects([{ Name: 'n', Type: 'bigint' }], [[row('9007199254740993')]]);

    // Assert
    expect(rows).toEqual([{ n: '9007199254740993' }]);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 bytes'],
    [1023, '1023 bytes'],
    [1536, '1.5 KiB'],
    [10 * 1024 * 1024, '10.0 MiB'],
  ])('renders %d as %s', (bytes, text) => {
    // Act / Assert
    expect(formatBytes(bytes)).toBe(text);
  });
});
