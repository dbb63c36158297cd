import { parseCompactArgs } from '../../../commands/compact/compact-args';
import { UsageError } from '../../../commands/shared/command-args';
import { thrownBy } from '../../support/thrown';

describe('parseCompactArgs', () => {
  it('reads the lake, a day as a one-day range, the format and --json', () => {
    expect(parseCompactArgs(['--lake', 'l', '--day', '2026-03-05', '--format', 'json', '--json'])).toEqual({
      lake: 'l',
      from: '2026-03-05',
      to: '2026-03-05',
      format: 'json',
      json: true,
      help: false,
    });
    expect(parseCompactArgs(['--lake', 'l', '--from', '2026-03-01'])).toEqual({
      lake: 'l',
      from: '2026-03-01',
      json: false,
      help: false,
    });
  });

  it('gives --help without needing a lake', () => {
    expect(parseCompactArgs(['--help']).help).toBe(true);
  });

  it.each([
    [[], 'name the lake: --lake DIR'],
    [['--lake', 'l', '--day', '2026-03-05', '--to', '2026-03-06'], '--day names one day'],
    [['--lake', 'l', '--from', '2026-02-30'], '--from must be a day as YYYY-MM-DD, received "2026-02-30"'],
    [['--lake', 'l', '--from', '2026-03-06', '--to', '2026-03-05'], '--from 2026-03-06 is after --to 2026-03-05'],
    [['--lake', 'l', '--format', 'csv'], '--format must be one of parquet, json, received "csv"'],
    [['--lak', 'l'], 'unknown option --lak (did you mean --lake?)'],
  ])('refuses %j with one line and the usage', (argv, message) => {
    const error = thrownBy(() => parseCompactArgs(argv), UsageError);
    expect(error.message).toContain(message);
    expect(error.usage).toMatch(/^usage: npm run compact -- --lake DIR/);
  });
});
