// SPDX-License-Identifier: GPL-3.0-or-later
// The agent harness itself, against a shell fixture plugin: identity, REST API, clean stop and kill.
import test from 'ava';
import { fileURLToPath } from 'node:url';
import { startFor, waitFor } from '../helpers/netdata-agent.js';

const counterPlugin = fileURLToPath(new URL('fixtures/counter.plugin', import.meta.url));

interface ChartsResponse {
  hostname: string;
  charts: Record<string, { units: string; family: string; chart_labels: Record<string, string> }>;
}
interface DataResponse {
  labels: string[];
  data: number[][];
}

test('the agent is ours, runs only the plugins given, and stores their values as per-second rates', async (t) => {
  const agent = await startFor(t, { plugins: { counter: counterPlugin } });
  const charts = await waitFor(
    async () => {
      const response = await agent.api<ChartsResponse>('/api/v1/charts');
      return response.charts['harness.counter'] ? response : undefined;
    },
    () => agent.logTail(),
  );
  t.is(charts.hostname, agent.hostname);
  t.deepEqual(Object.keys(charts.charts), ['harness.counter']);
  t.is(charts.charts['harness.counter']?.units, 'events/s');
  t.is(charts.charts['harness.counter']?.chart_labels['source'], 'fixture');
  // Oldest first; the first two stored points may be partial.
  const rates = await waitFor(
    async () => {
      const { data } = await agent.api<DataResponse>(
        '/api/v1/data?chart=harness.counter&after=-60&points=60&group=average&format=json&options=seconds',
      );
      const values = data
        .map((row) => row[1])
        .filter((value): value is number => typeof value === 'number')
        .reverse()
        .slice(2);
      return values.length >= 3 ? values : undefined;
    },
    () => agent.logTail(),
  );
  for (const rate of rates) t.true(Math.abs(rate - 100) < 5, `rate ${rate}`);
  t.true(agent.processes().some((info) => info.command.includes('counter.plugin')));
  const report = await agent.stop();
  t.deepEqual(report.leftovers, []);
});

test('a killed agent leaves no plugin behind', async (t) => {
  const agent = await startFor(t, { plugins: { counter: counterPlugin }, runAsUser: 'netdata' });
  await waitFor(
    async () => (agent.processes().length > 0 ? true : undefined),
    () => agent.logTail(),
  );
  const report = await agent.kill();
  t.deepEqual(report.leftovers, []);
});
