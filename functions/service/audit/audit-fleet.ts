import type { PlanOptions } from '../../core/model/plan-options';
import { silentLogger, type LoggerPort } from '../../use-cases/ports';
import { InvalidAuditRequestError, type AuditRequest } from './audit-request';
import { summarize, type AuditReport, type InstanceAudit } from './audit-report';
import type { AuditClock, AuditProgressListener, CommandOutputReader, FleetEc2Port, FleetSsmPort, RemediationQueuePort } from './audit-ports';
import { awaitCommands } from './await-commands';
import { inspectedInstance } from './inspected-instance';
import { readCommandOutput } from './read-command-output';
import { selectTargets, type ManagedTagMode } from './select-targets';
import { sendInspectBatches, type SentBatch } from './send-inspect-batches';
import { enqueueFixes } from './enqueue-fixes';

export interface AuditSettings {
  readonly managedTagMode: ManagedTagMode;
  readonly planOptions: PlanOptions;
  readonly sendConcurrency: number;
  readonly pollIntervalMs: number;
  readonly waitBudgetMs: number;
}

export interface AuditDeps {
  readonly ec2: FleetEc2Port;
  readonly ssm: FleetSsmPort;
  readonly output: CommandOutputReader;
  /** fix mode only; without it a fix request is refused before anything is sent */
  readonly queue?: RemediationQueuePort;
  readonly clock: AuditClock;
  readonly auditId: string;
  readonly logger?: LoggerPort;
  readonly onProgress?: AuditProgressListener;
}

/** Select → inspect in batches of 50 → read outputs in bulk → judge each with the planner → (fix) enqueue. */
export async function auditFleet(request: AuditRequest, deps: AuditDeps, settings: AuditSettings): Promise<AuditReport> {
  if (request.mode === 'fix' && deps.queue === undefined) {
    throw new InvalidAuditRequestError('mode fix needs the remediation queue (the CLI: --queue-url); nothing was sent');
  }
  const logger = deps.logger ?? silentLogger;
  const progress = deps.onProgress ?? (() => undefined);
  const started = deps.clock.now();
  const since = new Date(started - CLOCK_SKEW_MS);

  const targets = await selectTargets(request, deps, settings.managedTagMode);
  const subnets = await subnetsOf(targets.inspect, targets.interfacesOf, deps.ec2);
  const total = targets.inspect.length;
  progress('targets', total, total);
  logger.info('audit targets selected', { auditId: deps.auditId, inspect: total, settled: targets.settled.length });

  let sentCount = 0;
  const { sent, notSent } = await sendInspectBatches(targets.inspect, deps.ssm, settings.sendConcurrency, (count) => progress('sent', (sentCount += count), total));
  const judged: InstanceAudit[] = [...notSent].map(([instanceId, reason]) => ({ instanceId, status: 'unreachable', reason }));
  let fallbackReads = 0;
  const batchOf = new Map<string, SentBatch>(sent.map((batch) => [batch.commandId, batch]));
  const readDeps = { ssm: deps.ssm, output: deps.output, logger };
  await awaitCommands(sent.map((batch) => batch.commandId), since, { ssm: deps.ssm, clock: deps.clock, logger }, settings, async (commandId, finished) => {
    const batch = batchOf.get(commandId) as SentBatch;
    const readout = await readCommandOutput(batch, finished !== undefined, readDeps);
    fallbackReads += readout.fallbackReads;
    for (const instanceId of batch.instanceIds) {
      const stdout = readout.stdout.get(instanceId);
      judged.push(
        stdout === undefined
          ? { instanceId, status: 'unreachable', reason: readout.failed.get(instanceId) ?? 'no inspect output' }
          : inspectedInstance(instanceId, stdout, targets.interfacesOf, subnets, settings.planOptions, logger),
      );
    }
    progress('judged', judged.length, total);
  });

  let instances = [...targets.settled, ...judged].sort((a, b) => a.instanceId.localeCompare(b.instanceId));
  if (request.mode === 'fix') instances = await enqueueFixes(instances, deps.queue, { auditId: deps.auditId, at: new Date(deps.clock.now()) }, logger);
  const report: AuditReport = {
    auditId: deps.auditId,
    mode: request.mode,
    startedAt: new Date(started).toISOString(),
    durationMs: deps.clock.now() - started,
    summary: summarize(instances),
    instances,
  };
  logger.info('audit finished', { auditId: deps.auditId, mode: request.mode, ...report.summary, commands: sent.length, fallbackReads, durationMs: report.durationMs });
  return report;
}

// ListCommands' InvokedAfter is compared with SSM's clock, not ours: look back a little further.
const CLOCK_SKEW_MS = 60_000;

async function subnetsOf(
  instanceIds: readonly string[],
  interfacesOf: ReadonlyMap<string, readonly { readonly SubnetId?: string }[]>,
  ec2: FleetEc2Port,
): Promise<ReadonlyMap<string, unknown>> {
  const ids = new Set<string>();
  for (const instanceId of instanceIds) for (const eni of interfacesOf.get(instanceId) ?? []) if (eni.SubnetId !== undefined) ids.add(eni.SubnetId);
  if (ids.size === 0) return new Map();
  const subnets = await ec2.describeSubnets([...ids].sort());
  return new Map(subnets.map((subnet) => [String((subnet as { SubnetId?: unknown }).SubnetId), subnet]));
}
