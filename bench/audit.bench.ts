// `npm run bench -- audit`: the fleet audit against a simulated Region (aws-sdk-client-mock answering for
// 1,000 instances with two or three ENIs and 200 with one, in virtual time), through the real handler,
// adapters and planner. Counts every SDK call; the baseline is the same audit reading each output with
// GetCommandInvocation (one call per instance) instead of CloudWatch Logs, in the same process.
import '../test/helpers/simulated-fleet/with-audit-env';
import { auditWith } from '../functions/audit/handler';
import { makeInstance, type Profile, type SimulatedInstance } from '../test/helpers/simulated-fleet/fleet-model';
import { simulateFleet } from '../test/helpers/simulated-fleet/simulate-fleet';

const AUDITED = 1_000;
const SINGLE_ENI = 200;
// Assumed per-call latency in virtual time, calls taken one after another: an upper bound.
const LATENCY_MS = 100;
const PROFILES: readonly Profile[] = ['compliant', 'satisfied', 'drift', 'docker', 'detached'];

/** A fleet as one finds it: mostly healthy agents, a few offline, opted out, failing or timing out. */
function buildFleet(size: number): SimulatedInstance[] {
  const fleet: SimulatedInstance[] = [];
  for (let index = 0; index < size; index += 1) {
    const profile = PROFILES[index % PROFILES.length] as Profile;
    const trouble =
      index % 20 === 1 ? { ping: 'ConnectionLost' as const }
      : index % 50 === 2 ? { ping: 'unregistered' as const }
      : index % 33 === 3 ? { managedTag: 'false' }
      : index % 100 === 4 ? { invocation: 'Failed' as const }
      : index % 100 === 5 ? { invocation: 'DeliveryTimedOut' as const }
      : index % 200 === 6 ? { invocation: 'Undeliverable' as const }
      : index % 100 === 7 ? { invocation: 'SuccessNoLogs' as const }
      : {};
    fleet.push(makeInstance(index, profile, trouble));
  }
  for (let index = size; index < size + SINGLE_ENI; index += 1) fleet.push(makeInstance(index, 'leftover'));
  return fleet;
}

async function run(label: string, readFromLogs: boolean, size = AUDITED): Promise<{ calls: number; ratio: number }> {
  const fleet = simulateFleet(buildFleet(size), LATENCY_MS);
  if (!readFromLogs) fleet.mocks.logs.rejects(Object.assign(new Error('the baseline reads no logs'), { name: 'AccessDeniedException' }));
  const cpuStarted = performance.now();
  const report = await auditWith(fleet.clock)({ mode: 'check' });
  const cpuMs = performance.now() - cpuStarted;
  if (size !== AUDITED) {
    fleet.restore();
    return { calls: 0, ratio: 0 };
  }
  const calls = fleet.totalCalls() - (readFromLogs ? 0 : (fleet.calls.get('logs:FilterLogEvents') ?? 0)); // the baseline would not call it
  const inspected = report.summary.total - report.summary.skipped;
  const s = report.summary;
  console.log(`\n${label}`);
  console.log(`  instances ${s.total} in the report (${AUDITED} with ≥ 2 ENIs; ${SINGLE_ENI} single-ENI instances (config left by detached ENIs) out of scope): compliant ${s.compliant}, satisfied ${s.satisfied}, drift ${s.drift}, unreachable ${s.unreachable}, skipped ${s.skipped}, error ${s.error}`);
  console.log(`  AWS API calls ${calls} → ${(calls / AUDITED).toFixed(3)} per instance (${(calls / Math.max(1, inspected)).toFixed(3)} per instance not skipped)`);
  console.log(`  by API: ${[...fleet.calls].filter(([name]) => readFromLogs || name !== 'logs:FilterLogEvents').map(([name, count]) => `${name} ${count}`).join(', ')}`);
  console.log(`  wall time (virtual: SSM run times 0.8–3.2 s, 30 s delivery timeout, ${LATENCY_MS} ms per call in series): ${(report.durationMs / 1000).toFixed(1)} s`);
  console.log(`  CPU in this process (parse + plan ${inspected} hosts, mocks included): ${cpuMs.toFixed(0)} ms`);
  fleet.restore();
  return { calls, ratio: calls / AUDITED };
}

async function main(): Promise<void> {
  await run('warm-up (not printed: loads and compiles the modules once)', true, 100);
  const logs = await run('CloudWatch Logs reads (the design)', true);
  const baseline = await run('baseline: GetCommandInvocation for every output', false);
  console.log(`\ncalls, design / baseline: ${(logs.calls / baseline.calls).toFixed(3)} (${logs.calls} vs ${baseline.calls}); goal ≤ 0.1 per instance: ${logs.ratio <= 0.1 ? 'met' : 'NOT met'}`);
  if (logs.ratio > 0.1) process.exitCode = 1;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
