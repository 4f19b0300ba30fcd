// SPDX-License-Identifier: GPL-3.0-or-later
// The dashboard: Netdata's own web page, in headless Chromium, with the installed plugin in return
// mode. Every chart of the mode is in the eBPF section, under its family, titled as catalogued, with a
// number for each of its dimensions in the legend, scrolled to one by one as a person would. Then the
// window is made as tall as the page, so that every chart is drawn at once (the dashboard draws only the
// charts in view), and saved as a screenshot to test/output/dashboard.png (ignored by git), replaced by each run.
// With $DASHBOARD_SCREENSHOT set it also makes the README's picture there (docs/dashboard.png): a few charts
// over a window the plugin's data fills from edge to edge, which takes the agent that long to collect.
import test from 'ava';
import type { Locator, Page } from 'playwright-core';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chartsForMode, chartType, pluginHealthChart } from '../../src/charts/catalogue.js';
import { browserFor } from '../helpers/browser.js';
import { startFor, waitFor, type AgentApi } from '../helpers/netdata-agent.js';
import { repoRoot } from '../helpers/run-plugin.js';
import { waitForCharts } from './expectations.js';
import { installInto } from './installed-plugin.js';

// Netdata's dashboard asks for a new chart's data at a coarse resolution first (one point per 30 s or
// so); the first legend values can take that long.
const drawDeadlineMs = 120_000;

const chartsShown = [...chartsForMode('return'), pluginHealthChart];

/** The chart's container in its family's part of the eBPF section (the part under the h1 the menu's "eBPF" leads to). */
const chartIn = (page: Page, chart: (typeof chartsShown)[number]): Locator =>
  page
    .locator('[role="section"]', { has: page.locator('h1', { hasText: /^\s*eBPF\s*$/ }) })
    .first()
    .locator('[role="section"]', { has: page.locator('h2', { hasText: new RegExp(`^\\s*${chart.family}\\s*$`) }) })
    .locator(`[data-netdata="${chartType}.${chart.id}"]`);

/** Drawn with data: dygraph's title, and a number (not a dash, which means no data) for each dimension in the legend.
 *  On giving up it says what the legend showed. */
const waitForDrawn = async (page: Page, container: Locator, id: string, expected: readonly string[]): Promise<void> => {
  try {
    await container.locator('.dygraph-title').waitFor({ timeout: drawDeadlineMs });
    await page.waitForFunction(
      ([element, count]) => {
        const shown = [...(element?.querySelectorAll('[class*="DimensionValue"]') ?? [])].map((node) => node.textContent?.trim() ?? '');
        return shown.length === count && shown.every((text) => /^-?[\d,.]+$/.test(text));
      },
      [await container.elementHandle(), expected.length] as const,
      { timeout: drawDeadlineMs },
    );
  } catch (error) {
    const shown = async (part: string) =>
      (
        await container
          .locator(`[class*="${part}"]`)
          .allInnerTexts()
          .catch(() => [])
      ).map((text) => text.trim());
    const title = (await container.locator('.dygraph-title').count()) > 0 ? 'drawn' : 'not drawn (no title)';
    throw new Error(
      `${id} was ${title} within ${drawDeadlineMs / 1000} s: the legend showed [${await shown('DimensionLabel')}] = ` +
        `[${await shown('DimensionValue')}], expected a number for each of [${expected.join(', ')}] ` +
        `(${(error as Error).message.split('\n')[0]})`,
    );
  }
};

interface DataResponse {
  labels: string[];
  data: (number | null)[][];
}

/** The agent's newest stored row of the chart as the dashboard asks for it (`nonzero`: a dimension that stayed 0
 *  over the whole window, zombie on an idle host, is left out of the legend), by dimension name. */
const newestRow = async (agent: AgentApi, id: string, window = 'after=-600'): Promise<Map<string, number | null>> => {
  const { labels, data } = await agent.api<DataResponse>(`/api/v1/data?chart=${id}&${window}&options=nonzero&format=json`);
  return new Map(labels.flatMap((label, column) => (label === 'time' ? [] : [[label, data[0]?.[column] ?? null] as const])));
};

/** Every chart's dimensions have a stored number in the agent: before that the dashboard has nothing to draw. */
const waitForStoredData = async (agent: AgentApi): Promise<void> => {
  const rows = async () =>
    Promise.all(
      chartsShown.map(async (chart) => [`${chartType}.${chart.id}`, await newestRow(agent, `${chartType}.${chart.id}`)] as const),
    );
  const lacking = (all: Awaited<ReturnType<typeof rows>>) =>
    all.filter(([, row]) => row.size === 0 || [...row.values()].some((value) => value === null));
  await waitFor(
    async () => (lacking(await rows()).length === 0 ? true : undefined),
    async () => {
      const missing = lacking(await rows()).map(
        ([id, row]) => `${id} {${[...row].map(([name, value]) => `${name}: ${value}`).join(', ')}}`,
      );
      return `the agent stored no data for: ${missing.join('; ')}\n${await agent.logTail()}`;
    },
    drawDeadlineMs,
  );
};

const screenshotPath = async (): Promise<string> => {
  const dir = join(repoRoot, 'test', 'output');
  await mkdir(dir, { recursive: true });
  return join(dir, 'dashboard.png');
};

// The README's picture: the first four charts (the file family and the first two of vfs), over this many
// seconds of the plugin's data, the dashboard panned to that window (its URL's after/before, in ms).
const picture = { path: process.env['DASHBOARD_SCREENSHOT'], charts: chartsShown.slice(0, 4), seconds: 300 };

test('the dashboard shows every return-mode chart in the eBPF section, by title, with data', async (t) => {
  t.timeout(300_000 + (picture.path ? picture.seconds * 1000 : 0));
  const agent = await startFor(t, { prepare: installInto, files: { 'ebpf_process.conf': '[global]\n\tebpf load mode = return\n' } });
  await waitForCharts(agent, 'return');
  const collectingSince = Date.now();
  await waitForStoredData(agent);
  const browser = await browserFor(t);
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`http://127.0.0.1:${agent.port}/#menu_ebpf`);

  // Every dimension the agent's API gives for the dashboard's `nonzero` query must be shown, in the catalogue's order.
  const shownNames = async (chart: (typeof chartsShown)[number], window?: string): Promise<string[]> => {
    const names = await newestRow(agent, `${chartType}.${chart.id}`, window);
    return chart.dimensions.map((dimension) => dimension.name).filter((name) => names.has(name));
  };

  for (const chart of chartsShown) {
    const id = `${chartType}.${chart.id}`;
    const container = chartIn(page, chart);
    await container.scrollIntoViewIfNeeded({ timeout: drawDeadlineMs });
    const expected = await shownNames(chart);
    t.true(expected.length > 0, `${id}: the agent has data for it`);
    await waitForDrawn(page, container, id, expected);
    // biome-ignore lint/performance/useDomNodeTextContent: the title as the page draws it
    t.is((await container.locator('.dygraph-title').innerText()).trim(), `${chart.title} (${id})`);
    t.deepEqual(
      (await container.locator('[class*="DimensionLabel"]').allInnerTexts()).map((text) => text.trim()),
      expected,
      id,
    );
    t.log(
      `${id}: ${(await container.locator('[class*="DimensionValue"]').allInnerTexts()).join(', ')} ` +
        `(${chart.units}, scaled by the dashboard)`,
    );
  }

  await page.setViewportSize({ width: 1400, height: await page.evaluate(() => document.documentElement.scrollHeight) });
  await page.evaluate(() => {
    window.scrollTo(0, 0);
  });
  for (const chart of chartsShown) await waitForDrawn(page, chartIn(page, chart), `${chartType}.${chart.id}`, await shownNames(chart));
  const file = await screenshotPath();
  await page.screenshot({ path: file });
  t.log(`screenshot: ${file}`);

  if (picture.path) {
    const after = collectingSince + 5_000;
    const before = after + picture.seconds * 1000;
    // Until the agent holds the whole window, and a few seconds more for its last points.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, before + 5_000 - Date.now())));
    const panned = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await panned.goto(`http://127.0.0.1:${agent.port}/#menu_ebpf;after=${after};before=${before}`);
    const panWindow = `after=${Math.floor(after / 1000)}&before=${Math.floor(before / 1000)}`;
    // Paused on a window, the legend shows a value only under the mouse: drawn is the title and its dimensions.
    // As above, each is scrolled to (the dashboard draws only the charts in view).
    for (const chart of picture.charts) {
      const container = chartIn(panned, chart);
      await container.scrollIntoViewIfNeeded({ timeout: drawDeadlineMs });
      await container.locator('.dygraph-title').waitFor({ timeout: drawDeadlineMs });
      const expected = await shownNames(chart, panWindow);
      await panned.waitForFunction(
        ([element, names]) => {
          const shown = [...(element?.querySelectorAll('[class*="DimensionLabel"]') ?? [])].map((node) => node.textContent?.trim());
          return JSON.stringify(shown) === JSON.stringify(names);
        },
        [await container.elementHandle(), expected] as const,
        { timeout: drawDeadlineMs },
      );
    }
    await panned.setViewportSize({ width: 1400, height: await panned.evaluate(() => document.documentElement.scrollHeight) });
    await panned.evaluate(() => {
      window.scrollTo(0, 0);
    });
    for (const chart of picture.charts) await chartIn(panned, chart).locator('.dygraph-title').waitFor({ timeout: drawDeadlineMs });
    const boxes = await Promise.all(
      picture.charts.map(async (chart) => {
        const box = await chartIn(panned, chart).boundingBox();
        if (!box) throw new Error(`${chartType}.${chart.id} is not on the panned dashboard: no picture`);
        return box;
      }),
    );
    const [x, y] = [Math.min(...boxes.map((box) => box.x)), Math.min(...boxes.map((box) => box.y))];
    const right = Math.max(...boxes.map((box) => box.x + box.width));
    const bottom = Math.max(...boxes.map((box) => box.y + box.height));
    await panned.screenshot({ path: picture.path, clip: { x: x - 8, y: y - 8, width: right - x + 16, height: bottom - y + 16 } });
    t.log(`README picture: ${picture.path}`);
  }
  t.deepEqual((await agent.stop()).leftovers, []);
});
