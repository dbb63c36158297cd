import { formatCell } from '../shared/text-table';
import type { JsonRow } from '../../local-aws/query/json-values';
import {
  abandonmentChart,
  callsPerDayChart,
  contactsByHourChart,
  duplicatesChart,
  FUNNEL_STAGES,
  funnelChart,
  handleTimeChart,
  renderChartSvg,
  type ChartOption,
} from './charts';
import { isFunnelAvailable, type ReportData } from './report-data';

/** The report's sections, in page order: each has an id, a heading, and (with data) one chart. */
export const REPORT_SECTIONS = [
  { id: 'calls-per-day', heading: 'Calls and CTRs per day' },
  { id: 'dedup-funnel', heading: 'Dedup funnel' },
  { id: 'handle-time', heading: 'Average handle time by queue' },
  { id: 'abandonment', heading: 'Abandonment rate per day' },
  { id: 'contacts-by-hour', heading: 'Contacts by hour of day' },
  { id: 'duplicates-audit', heading: 'Duplicates audit' },
] as const;

export type SectionId = (typeof REPORT_SECTIONS)[number]['id'];

interface Section {
  readonly chart?: ChartOption;
  /** Paragraphs of HTML (already escaped) above the chart. */
  readonly notes?: readonly string[];
  readonly tables: readonly { readonly name: string; readonly caption: string; readonly rows: readonly JsonRow[] }[];
}

/**
 * One self-contained HTML page: inline CSS, charts as inline SVG drawn on the server, a data table under each chart
 * with the named query's rows as returned. No script, font or image is fetched: it opens offline.
 */
export function renderReport(data: ReportData): string {
  const sections: Record<SectionId, Section> = {
    'calls-per-day': {
      chart: callsPerDayChart(rows(data, 'calls_per_day'), rows(data, 'ctrs_per_day'), data.timeZone),
      tables: [
        {
          name: 'calls_per_day',
          caption: 'calls_per_day: calls per local day and channel',
          rows: rows(data, 'calls_per_day'),
        },
        {
          name: 'ctrs_per_day',
          caption: 'ctrs_per_day: stored CTR rows per local day and channel',
          rows: rows(data, 'ctrs_per_day'),
        },
      ],
    },
    'dedup-funnel': funnelSection(data),
    'handle-time': {
      chart: handleTimeChart(rows(data, 'avg_handle_time_by_queue')),
      tables: [
        {
          name: 'avg_handle_time_by_queue',
          caption: 'avg_handle_time_by_queue (seconds)',
          rows: rows(data, 'avg_handle_time_by_queue'),
        },
      ],
    },
    abandonment: {
      chart: abandonmentChart(rows(data, 'abandonment_rate_per_day'), data.timeZone),
      tables: [
        {
          name: 'abandonment_rate_per_day',
          caption: 'abandonment_rate_per_day',
          rows: rows(data, 'abandonment_rate_per_day'),
        },
      ],
    },
    'contacts-by-hour': {
      chart: contactsByHourChart(rows(data, 'contacts_by_hour'), data.timeZone),
      tables: [
        {
          name: 'contacts_by_hour',
          caption: 'contacts_by_hour (weekday 1 = Monday … 7 = Sunday)',
          rows: rows(data, 'contacts_by_hour'),
        },
      ],
    },
    'duplicates-audit': auditSection(rows(data, 'duplicates_audit')),
  };
  const body = REPORT_SECTIONS.map(({ id, heading }) => renderSection(id, heading, sections[id])).join('\n');
  const range = data.days ? `${data.days.from} to ${data.days.to}` : 'every day in the lake';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>ctr-lake report: ${escapeHtml(data.subject)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>ctr-lake report</h1>
<dl class="meta">
<dt>Data</dt><dd>${escapeHtml(data.subject)}</dd>
<dt>Days</dt><dd>${escapeHtml(range)}</dd>
<dt>Time zone</dt><dd>${escapeHtml(data.timeZone)} (ctrLake:reportingTimeZone): days and hours are local to it</dd>
<dt>Generated</dt><dd>${escapeHtml(data.generatedAt.toISOString())}</dd>
</dl>
<nav>${REPORT_SECTIONS.map(({ id, heading }) => `<a href="#${id}">${escapeHtml(heading)}</a>`).join(' · ')}</nav>
</header>
<main>
${body}
</main>
<footer>Charts drawn on the server with Apache ECharts (SVG); the numbers are in the table under each chart.</footer>
</body>
</html>
`;
}

function rows(data: ReportData, name: string): readonly JsonRow[] {
  return data.results[name] ?? [];
}

function funnelSection(data: ReportData): Section {
  if (!isFunnelAvailable(data.funnel)) {
    return { notes: [`<p class="unavailable">Not available: ${escapeHtml(data.funnel.unavailable)}</p>`], tables: [] };
  }
  const funnel = data.funnel;
  return {
    chart: funnelChart(funnel),
    tables: [
      {
        name: 'funnel',
        caption: 'dedup funnel (records)',
        rows: FUNNEL_STAGES.map((stage) => ({ stage: stage.label, records: funnel[stage.key] })),
      },
    ],
  };
}

function auditSection(duplicates: readonly JsonRow[]): Section {
  if (duplicates.length === 0) {
    return {
      notes: [
        '<p class="ok">No duplicates: every fingerprint in the lake is stored exactly once (duplicates_audit returned no rows).</p>',
      ],
      tables: [],
    };
  }
  return {
    chart: duplicatesChart(duplicates),
    notes: [
      `<p class="bad">${duplicates.length} fingerprint${duplicates.length === 1 ? ' is' : 's are'} stored more than once.</p>`,
    ],
    tables: [{ name: 'duplicates_audit', caption: 'duplicates_audit', rows: duplicates }],
  };
}

function renderSection(id: SectionId, heading: string, section: Section): string {
  const chart = section.chart
    ? `<figure class="chart" data-chart="${id}">${renderChartSvg(section.chart)}</figure>`
    : '';
  return [
    `<section id="${id}" data-section="${id}">`,
    `<h2>${escapeHtml(heading)}</h2>`,
    ...(section.notes ?? []),
    chart,
    ...section.tables.map((table) => renderTable(table.name, table.caption, table.rows)),
    '</section>',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function renderTable(name: string, caption: string, rows: readonly JsonRow[]): string {
  const columns = Object.keys(rows[0] ?? {});
  const head = columns.map((column) => `<th>${escapeHtml(column)}</th>`).join('');
  const body =
    rows.length === 0
      ? `<tr><td class="empty">no rows</td></tr>`
      : rows
          .map(
            (row) =>
              `<tr>${columns
                .map((column) => {
                  const value = row[column];
                  const numeric = typeof value === 'number' ? ' class="num"' : '';
                  return `<td${numeric}>${escapeHtml(formatCell(value))}</td>`;
                })
                .join('')}</tr>`,
          )
          .join('\n');
  return `<table class="data" data-table="${escapeHtml(name)}">
<caption>${escapeHtml(caption)}</caption>
${columns.length > 0 ? `<thead><tr>${head}</tr></thead>` : ''}
<tbody>
${body}
</tbody>
</table>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

const STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 960px; padding: 1rem 1.5rem; color: #1f2933; }
h1 { margin-bottom: 0.25rem; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 0.15rem 1rem; margin: 0.5rem 0 1rem; }
dl.meta dt { font-weight: 600; }
dl.meta dd { margin: 0; }
nav a { color: #3b6ea8; }
section { border-top: 1px solid #d9e2ec; margin-top: 1.5rem; padding-top: 0.5rem; }
figure.chart { margin: 0.5rem 0; }
figure.chart svg { max-width: 100%; height: auto; }
table.data { border-collapse: collapse; margin: 0.75rem 0; font-size: 0.9rem; }
table.data caption { text-align: left; font-weight: 600; padding-bottom: 0.25rem; white-space: nowrap; }
table.data th, table.data td { border: 1px solid #d9e2ec; padding: 0.2rem 0.6rem; text-align: left; }
table.data td.num { text-align: right; font-variant-numeric: tabular-nums; }
table.data td.empty { color: #7b8794; font-style: italic; }
p.ok { background: #e3f9e5; border-left: 4px solid #2e8b57; padding: 0.5rem 0.75rem; }
p.bad { background: #ffe3e3; border-left: 4px solid #b33a3a; padding: 0.5rem 0.75rem; }
p.unavailable { background: #fff8e1; border-left: 4px solid #d98c2b; padding: 0.5rem 0.75rem; }
footer { color: #7b8794; font-size: 0.85rem; margin-top: 2rem; }
`;
