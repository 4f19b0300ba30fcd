// SPDX-License-Identifier: GPL-3.0-or-later
// The plugin's supervision loop: plan, run a backend, publish its samples; on failure re-plan around what
// was refused, restart with backoff, fall back to the other backend, and DISABLE only when nothing can run.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BackendCommand, CommandFactory } from '../backend/backend-command.js';
import { isHarmlessStderr } from '../supervise/attach-refusals.js';
import { attachWithReplans, fallingBack, maxReplans } from '../supervise/attach-with-replans.js';
import { failureHint } from '../supervise/failure-hints.js';
import { scriptRejection } from '../supervise/script-rejection.js';
import { runBackend, type BackendRun, type BackendExit } from '../supervise/run-backend.js';
import type { KernelFacts } from '../kernel/facts.js';
import type { Mode } from '../plan/counters.js';
import type { TracingChoice } from '../plan/families.js';
import { collectedCounters, planProbes, planRequest } from '../plan/plan-probes.js';
import type { Backend, Plan, Refusal } from '../plan/plan-types.js';
import type { TaskFilter } from '../plan/task-filter.js';
import { disablePlugin } from '../protocol/disable.js';
import type { ProtocolOutput } from '../protocol/output-stream.js';
import { ProtocolBytes } from '../protocol/protocol-bytes.js';
import type { ProgramStats } from '../samples/parse-line.js';
import { Totals } from '../samples/totals.js';
import { defaultBackoff, type BackoffPolicy } from './backoff.js';
import { startStatsReader, type StatsReader } from '../self-cost/stats-reader.js';
import { SelfCost, type CostInterval } from '../self-cost/self-cost.js';
import { budgetMode, describeStep, droppedFamilies, initialBudget, observeBudget, type BudgetPolicy, type BudgetState } from './budget.js';
import { ChartPublisher } from './chart-publisher.js';
import { WhoPublisher, type WhoOptions } from './who-publisher.js';
import { PluginHealth } from './plugin-health.js';

export interface CollectorOptions {
  readonly facts: KernelFacts;
  readonly mode: Mode;
  readonly tracing: TracingChoice;
  readonly updateEvery: number;
  readonly filter?: TaskFilter | undefined;
  /** Backends in the order to try them, each with its command factory. */
  readonly backends: ReadonlyArray<{ backend: Backend; command: CommandFactory }>;
  readonly output: ProtocolOutput;
  readonly log: (message: string) => void;
  readonly backoff?: BackoffPolicy;
  /** The helper binary, which reads bpftrace's programs (`--skips-of`, or `--stats-of` with self monitoring);
   *  undefined: the runs the kernel skipped bpftrace's programs for are not counted. */
  readonly statsHelper?: string | undefined;
  /** Chart the collector's own cost (the helper command factory adds --self-stats). */
  readonly selfMonitoring?: SelfMonitoring;
  /** Count and chart per cgroup and per application as well (cgroups = yes, apps = yes). */
  readonly who?: WhoOptions;
}

export interface SelfMonitoring {
  /** `max kernel cpu`, with the window in updates. */
  readonly budget?: Omit<BudgetPolicy, 'mode'>;
}

const describeExit = (exit: BackendExit): string => {
  const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
  const detail = exit.stderr
    .filter((line) => !isHarmlessStderr(line))
    .slice(-3)
    .join(' | ');
  const hint = exit.samples === 0 ? failureHint(exit) : undefined;
  return [how, detail && `: ${detail}`, hint && `. Fix: ${hint}`].filter(Boolean).join('');
};

export class Collector {
  private readonly totals = new Totals();
  private readonly health: PluginHealth;
  private readonly backoff: BackoffPolicy;
  private readonly publisher: ChartPublisher;
  private readonly selfCost: SelfCost | undefined;
  private readonly who: WhoPublisher | undefined;
  /** Each update's text, in one buffer kept across updates (thousands of per-cgroup charts). */
  private readonly update = new ProtocolBytes();
  private readonly budgetPolicy: BudgetPolicy | undefined;
  private budget: BudgetState | undefined;
  /** The budget's last step, for the ebpf.self_cpu label. */
  private budgetLabel: string | undefined;
  /** The current run was stopped to apply a budget step: re-plan, it is no failure. */
  private budgetRestart = false;
  /** The next run follows a budget step, counted as one: not a restart. */
  private afterBudgetStep = false;
  private runs = 0;
  private current: BackendRun | undefined;
  private stopping = false;
  private readonly stopped: Promise<void>;
  private resolveStopped!: () => void;

  constructor(private readonly options: CollectorOptions) {
    this.publisher = new ChartPublisher(options.mode, options.updateEvery, options.selfMonitoring !== undefined);
    this.selfCost = options.selfMonitoring ? new SelfCost() : undefined;
    const budget = options.selfMonitoring?.budget;
    this.budgetPolicy = budget && { ...budget, mode: options.mode };
    this.budget = this.budgetPolicy && initialBudget(this.budgetPolicy);
    this.budgetLabel = budget && `within max kernel cpu = ${budget.maxPercent}%: nothing dropped`;
    this.health = new PluginHealth(options.log, { cgroup: options.who?.cgroups?.tableSize, comm: options.who?.apps?.tableSize });
    this.who = options.who && new WhoPublisher(options.who, options.mode, options.updateEvery, this.health, options.output, options.log);
    this.backoff = options.backoff ?? defaultBackoff;
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve;
    });
  }

  /** Returns the exit code: 0 after a requested stop, 1 when nothing could run (DISABLE sent). */
  async run(): Promise<number> {
    const reasons: string[] = [];
    const { backends } = this.options;
    // The cgroups already there get their charts with the first sample.
    await this.who?.refresh();
    for (const [index, { backend, command }] of backends.entries()) {
      const reason = await this.runBackendUntilItFails(backend, command);
      if (this.stopping) return 0;
      reasons.push(`${backend}: ${reason}`);
      const next = backends[index + 1]?.backend;
      this.options.log(
        `${backend} backend gave up (${reason}); ${next ? `falling back to the ${next} backend` : 'no other backend to try'}`,
      );
    }
    return disablePlugin(
      this.options.output,
      this.options.log,
      `nothing can collect on this host, disabling: ` +
        `${reasons.join('; ') || 'no backend available'}. Run \`ebpf-process check\` for the fixes.`,
    );
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.resolveStopped();
    await this.current?.stop();
  }

  private plan(backend: Backend, refused: readonly Refusal[]): Plan {
    const { facts, tracing, filter, who } = this.options;
    // The budget may have stepped down to entry mode, or dropped families.
    const mode = this.budgetPolicy && this.budget ? budgetMode(this.budgetPolicy, this.budget) : this.options.mode;
    const dropped = this.budget ? droppedFamilies(this.budget) : [];
    const request = planRequest({ config: { mode, tracing }, filter }, backend, who);
    return planProbes(facts, { ...request, refused, ...(dropped.length ? { dropped } : {}) });
  }

  private async runBackendUntilItFails(backend: Backend, command: CommandFactory): Promise<string> {
    let failures = 0;
    let definedFor: string | undefined;
    return attachWithReplans<string>({
      plan: (refused) => this.plan(backend, refused),
      run: async (plan) => {
        if (this.stopping) return { result: 'stopped' };
        if (!plan.probes.some((probe) => probe.chosen)) return { result: 'no probe has a usable attach point' };
        const built = await command(plan);
        if (!built.ok) return { result: built.reason };
        const definitions = this.publisher.definitions(plan, this.budgetLabel);
        if (definitions.join('\n') !== definedFor) {
          this.options.output.write(definitions);
          definedFor = definitions.join('\n');
        }
        const exit = await this.runOnce(built.value, plan);
        if (this.stopping) return { result: 'stopped' };
        if (!this.budgetRestart) return { exit };
        this.budgetRestart = false;
        this.afterBudgetStep = true;
        return { again: true };
      },
      onRefused: (fresh) => fresh.forEach((refusal) => this.options.log(fallingBack(refusal))),
      otherExit: async (exit) => {
        const rejected = scriptRejection(exit);
        if (rejected) {
          this.health.add('script_errors');
          this.options.log(
            `${backend} rejected the script ebpf-process generated for it: a bug in ebpf-process, not in this ` +
              `host (please report it with the output of \`ebpf-process script\`); no restart can fix it. ${backend} said:\n${rejected}`,
          );
          return { result: 'it rejected the generated script' };
        }
        failures = exit.samples > 0 ? 1 : failures + 1;
        if (failures >= this.backoff.failuresBeforeFallback)
          return { result: `${failures} runs in a row ended without data; last: ${describeExit(exit)}` };
        const delay = this.backoff.restartDelayMs(failures);
        this.options.log(`${backend} ${describeExit(exit)}; restarting in ${delay / 1000} s (totals are kept)`);
        await Promise.race([sleep(delay), this.stopped]);
        return { again: true };
      },
      gaveUp: () => (this.stopping ? 'stopped' : `gave up after ${maxReplans} re-plans`),
    });
  }

  private async runOnce(command: BackendCommand, plan: Plan): Promise<BackendExit> {
    const collected = collectedCounters(plan);
    this.totals.startRun();
    this.who?.startRun();
    this.health.startRun();
    this.selfCost?.startRun(plan);
    if (this.runs > 0 && !this.afterBudgetStep) this.health.add('restarts');
    this.afterBudgetStep = false;
    this.runs += 1;
    let reader: StatsReader | undefined;
    const run = runBackend(command, {
      onProgramStats: (programs) => this.programStats(programs),
      onSample: (printed, keyed, unkeyed) => {
        // A counter the plan collects but that has not fired yet is 0, not a gap in Netdata
        // (some bpftrace versions print no line for a map never written).
        const sample = new Map(printed);
        for (const counter of collected) if (!sample.has(counter) && !this.totals.has(counter)) sample.set(counter, 0n);
        for (const { counter, from, to } of this.totals.update(sample)) {
          this.health.add('parse_errors');
          this.health.report(
            `${command.backend} total of ${counter} went back from ${from} to ${to} (garbled or out-of-order output); kept ${from}`,
          );
        }
        for (const [key, events] of unkeyed) this.health.unkeyedInRun(key, events);
        reader?.request();
        const self = this.selfCost?.snapshot();
        this.update.lines(this.publisher.dataBlocks(this.totals, collected, this.health.snapshot(), self?.values));
        this.who?.write(keyed, plan, this.update);
        this.options.output.write(this.update.take());
        if (self?.interval) this.applyBudget(self.interval);
      },
      onProblem: (message) => this.health.report(message),
      onUnreadable: (message) => {
        this.health.add('parse_errors');
        this.health.report(message);
      },
      onLost: (events) => {
        this.health.add('lost_events', events);
        this.health.report(`${command.backend} lost ${events} events (perf buffer full); counted in ebpf.plugin_health`);
      },
    });
    this.current = run;
    this.selfCost?.addProcess(run.pid);
    reader = this.startStatsReader(command, run.pid);
    this.selfCost?.addProcess(reader?.pid);
    // A stop that raced with the spawn still reaches the child.
    if (this.stopping) void run.stop();
    const exit = await run.exited;
    reader?.stop();
    this.current = undefined;
    return exit;
  }

  /** The backend's programs: the runs the kernel skipped go to ebpf.plugin_health, their cost to self monitoring. */
  private programStats(programs: readonly ProgramStats[]): void {
    this.health.skippedInRun(programs.reduce((total, program) => total + program.skippedRuns, 0n));
    this.selfCost?.programs(programs);
  }

  // bpftrace cannot report its programs' statistics: the helper reads them beside it, timed with self monitoring.
  private startStatsReader(command: BackendCommand, pid: number | undefined): StatsReader | undefined {
    const helper = this.options.statsHelper;
    if (command.backend !== 'bpftrace' || pid === undefined || !helper) return undefined;
    return startStatsReader(helper, pid, this.selfCost !== undefined, {
      onStats: (programs) => this.programStats(programs),
      onProblem: (message) => this.health.report(message),
    });
  }

  /** One budget decision per update; a step restarts the backend with the new plan (totals are kept). */
  private applyBudget(cost: CostInterval): void {
    if (!this.budgetPolicy || !this.budget || this.budgetRestart) return;
    const { state, action } = observeBudget(this.budgetPolicy, this.budget, cost);
    this.budget = state;
    if (!action) return;
    const what = `${action.direction === 'down' ? 'dropped' : 'restored'} ${describeStep(action.step)}: ${action.reason}`;
    const dropped = state.steps.map(describeStep).join(', ');
    this.options.log(`max kernel cpu: ${what}; ${dropped ? `now without ${dropped}` : 'back to the full plan'}`);
    this.budgetLabel = `${dropped ? `without ${dropped}` : 'full plan'}; last step: ${what}`;
    this.health.add('budget_steps');
    this.budgetRestart = true;
    void this.current?.stop();
  }
}
