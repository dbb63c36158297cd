import * as echarts from 'echarts';
import type { JsonRow } from '../../local-aws/query/json-values';
import type { Funnel } from './report-data';

/**
 * The report's charts as ECharts options, rendered to SVG on the server (ECharts' SSR renderer: no DOM, no browser,
 * no script in the page). Every chart has a title and named axes with their units.
 */
export type ChartOption = echarts.EChartsCoreOption;

export const CHART_WIDTH = 880;
export const CHART_HEIGHT = 380;

/** Renders one chart to an SVG document string. */
export function renderChartSvg(option: ChartOption, width = CHART_WIDTH, height = CHART_HEIGHT): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({ animation: false, ...option });
    return chart.renderToSVGString();
  } finally {
    // An undisposed SSR chart keeps a timer running and the process alive.
    chart.dispose();
  }
}

const number = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));
const text = (value: unknown): string => (value === null || value === undefined ? '(none)' : String(value));

const GRID = { left: 70, right: 30, top: 70, bottom: 70, containLabel: true };
const title = (main: string, sub?: string) => ({ text: main, ...(sub ? { subtext: sub } : {}), left: 10, top: 5 });
const axisName = (name: string) => ({ name, nameLocation: 'middle' as const, nameGap: 40 });

/** Calls per day, one stacked bar per channel, with the CTRs stored per day beside them. */
export function callsPerDayChart(calls: readonly JsonRow[], ctrs: readonly JsonRow[], timeZone: string): ChartOption {
  const days = [...new Set([...calls, ...ctrs].map((row) => text(row.day)))].sort();
  const channels = [...new Set(calls.map((row) => text(row.channel)))].sort();
  const callSeries = channels.map((channel) => ({
    name: `calls: ${channel}`,
    type: 'bar',
    stack: 'calls',
    data: days.map((day) =>
      calls
        .filter((row) => text(row.day) === day && text(row.channel) === channel)
        .reduce((sum, row) => sum + number(row.calls), 0),
    ),
  }));
  const ctrTotals = days.map((day) =>
    ctrs.filter((row) => text(row.day) === day).reduce((sum, row) => sum + number(row.ctrs), 0),
  );
  return {
    title: title('Calls per day by channel, and CTRs stored', 'A call is counted once; every CTR version is stored'),
    legend: { top: 5, right: 10 },
    grid: GRID,
    xAxis: { type: 'category', data: days, ...axisName(`local day (${timeZone})`) },
    yAxis: { type: 'value', minInterval: 1, ...axisName('count (calls, CTRs)'), nameGap: 45 },
    series: [
      ...callSeries,
      { name: 'CTRs stored', type: 'bar', stack: 'ctrs', data: ctrTotals, itemStyle: { color: '#9aa5b1' } },
    ],
  };
}

export const FUNNEL_STAGES: readonly { key: keyof Omit<Funnel, 'source'>; label: string }[] = [
  { key: 'in', label: 'CTRs in' },
  { key: 'inBatchDuplicates', label: 'in-batch duplicates' },
  { key: 'storedDuplicates', label: 'stored duplicates' },
  { key: 'delivered', label: 'delivered' },
  { key: 'quarantined', label: 'quarantined' },
];

/** The dedup funnel: records in, the duplicates dropped at each stage, delivered and quarantined. */
export function funnelChart(funnel: Funnel): ChartOption {
  const colors = ['#3b6ea8', '#d98c2b', '#d98c2b', '#2e8b57', '#b33a3a'];
  return {
    title: title('Dedup funnel', funnel.source),
    grid: GRID,
    xAxis: { type: 'category', data: FUNNEL_STAGES.map((stage) => stage.label), ...axisName('stage') },
    yAxis: { type: 'value', minInterval: 1, ...axisName('records'), nameGap: 45 },
    series: [
      {
        name: 'records',
        type: 'bar',
        data: FUNNEL_STAGES.map((stage, i) => ({ value: funnel[stage.key], itemStyle: { color: colors[i] } })),
        label: { show: true, position: 'top' },
      },
    ],
  };
}

export function handleTimeChart(rows: readonly JsonRow[]): ChartOption {
  return {
    title: title('Average handle time by queue', 'talk + hold + after-contact work of contacts an agent handled'),
    grid: GRID,
    xAxis: { type: 'category', data: rows.map((row) => text(row.queue_name)), ...axisName('queue') },
    yAxis: { type: 'value', ...axisName('seconds'), nameGap: 45 },
    series: [
      {
        name: 'average handle time (s)',
        type: 'bar',
        data: rows.map((row) => number(row.avg_handle_time_seconds)),
        label: { show: true, position: 'top' },
      },
    ],
  };
}

export function abandonmentChart(rows: readonly JsonRow[], timeZone: string): ChartOption {
  return {
    title: title('Abandonment rate per day', 'contacts that left the queue before reaching an agent'),
    grid: GRID,
    xAxis: { type: 'category', data: rows.map((row) => text(row.day)), ...axisName(`local day (${timeZone})`) },
    yAxis: { type: 'value', min: 0, max: 100, ...axisName('% of queued contacts'), nameGap: 45 },
    series: [
      {
        name: 'abandoned (%)',
        type: 'bar',
        data: rows.map((row) => number(row.abandonment_rate_percent)),
        itemStyle: { color: '#b33a3a' },
        label: { show: true, position: 'top', formatter: '{c} %' },
      },
    ],
  };
}

/** ISO weekdays as day_of_week numbers them: 1 = Monday. */
export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'] as const;

export function contactsByHourChart(rows: readonly JsonRow[], timeZone: string): ChartOption {
  const cells = rows.map((row) => [number(row.hour_of_day), number(row.weekday) - 1, number(row.contacts)]);
  const max = Math.max(1, ...cells.map((cell) => cell[2]!));
  return {
    title: title('Contacts by hour of day and weekday', `local time (${timeZone})`),
    grid: { ...GRID, bottom: 95 },
    xAxis: {
      type: 'category',
      data: Array.from({ length: 24 }, (_, hour) => String(hour)),
      ...axisName(`hour of day (${timeZone})`),
      nameGap: 30,
    },
    yAxis: { type: 'category', data: [...WEEKDAYS], ...axisName('weekday'), nameGap: 45 },
    visualMap: {
      min: 0,
      max,
      calculable: false,
      orient: 'horizontal',
      left: 'center',
      bottom: 5,
      text: [`${max} contacts`, '0'],
      inRange: { color: ['#eef3f8', '#3b6ea8'] },
    },
    series: [{ name: 'contacts', type: 'heatmap', data: cells, label: { show: true } }],
  };
}

/** Copies stored per fingerprint, when duplicates_audit found any. */
export function duplicatesChart(rows: readonly JsonRow[]): ChartOption {
  return {
    title: title('Fingerprints stored more than once', 'each should be stored once'),
    grid: GRID,
    xAxis: {
      type: 'category',
      data: rows.map((row) => text(row.fingerprint).slice(0, 12)),
      ...axisName('fingerprint (first 12 hex digits)'),
    },
    yAxis: { type: 'value', minInterval: 1, ...axisName('copies stored'), nameGap: 45 },
    series: [
      {
        name: 'copies',
        type: 'bar',
        data: rows.map((row) => number(row.copies)),
        itemStyle: { color: '#b33a3a' },
      },
    ],
  };
}
