import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { reportMain } from '../../commands/report';
import { REPORT_SECTIONS } from '../../commands/report/render-report';
import { captureIo } from '../unit/commands/deployment-fixtures';
import { knownReportLake } from '../support/lake-fixture';

/**
 * The report opened in a real browser: Debian's chromium, headless, through playwright-core (which drives the
 * installed browser and downloads none). .ci/run installs chromium when it can; where it is absent this one test is
 * skipped, saying so in one line.
 */
const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stdout.write('report-browser: skipped, needs the Debian package chromium (apt-get install chromium)\n');
}

/** Generous: starting a browser on a loaded 2-core machine is slow; no correctness check depends on it. */
const BROWSER_TIMEOUT_MS = 240_000;

(hasChromium ? describe : describe.skip)('the report in headless chromium', () => {
  let lake: string;
  let browser: Browser;
  beforeAll(async () => {
    lake = await mkdtemp(join(tmpdir(), 'report-browser-'));
    await knownReportLake(lake);
    const { out, io } = captureIo();
    if ((await reportMain(['--lake', lake, '--time-zone', 'Asia/Seoul'], io)) !== 0) throw new Error(out.stderr);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      timeout: BROWSER_TIMEOUT_MS,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  }, BROWSER_TIMEOUT_MS);
  afterAll(async () => {
    await browser?.close();
    await rm(lake, { recursive: true, force: true });
  });

  it(
    'renders every section and chart with no console error and no request leaving the file',
    async () => {
      const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
      page.setDefaultTimeout(BROWSER_TIMEOUT_MS);
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error' || message.type() === 'warning')
          problems.push(`${message.type()}: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
      await page.route('**/*', (route) =>
        route.request().url().startsWith('file://') || route.request().url().startsWith('data:')
          ? route.continue()
          : (problems.push(`request: ${route.request().url()}`), route.abort()),
      );

      await page.goto(`file://${join(lake, 'report.html')}`, { waitUntil: 'load' });
      const sections = await page
        .locator('section[data-section]')
        .evaluateAll((nodes) => nodes.map((node) => node.getAttribute('data-section')));
      const charts = await page
        .locator('figure.chart > svg')
        .evaluateAll((nodes) => nodes.map((node) => node.getBoundingClientRect().width));
      const title = await page.title();
      await page.close();

      expect(problems).toEqual([]);
      expect(title).toBe(`ctr-lake report: local lake ${lake}`);
      expect(sections).toEqual(REPORT_SECTIONS.map((section) => section.id));
      expect(charts).toHaveLength(REPORT_SECTIONS.length);
      for (const width of charts) expect(width).toBeGreaterThan(300);
    },
    BROWSER_TIMEOUT_MS,
  );
});
