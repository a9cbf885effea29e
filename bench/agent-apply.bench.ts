// Apply for the largest instance (15 ENIs x 50 IPv4: addresses, 15 tables, one rule per address, fwmark
// rules, connmark) through the agent, against the same ip operations run as one `ip` process each.
// Every sample gets a fresh namespace (veth pairs: this kernel has no dummy links); nothing touches the
// root namespace. Prints medians and ratios; asserts nothing about time. The machine's load average is
// printed too: other work on a 2-core box moves every figure. The agent is the shipped assembly plus its
// timing hooks (assembleAgent({ timing: true })): the hooks only read the clock and log one line.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { assembleAgent } from '../scripts/ssm/assemble-agent';
import { ENIS, IPS, largestInstancePlanText, macOf } from './largest-instance-plan';

const SAMPLES = 5; // fresh namespaces per agent figure
const LOOP_SAMPLES = 3; // the per-process loop takes seconds per sample
const AGENT_DIR = mkdtempSync(join(tmpdir(), 'eni-pbr-bench-'));
const AGENT = join(AGENT_DIR, 'eni-pbr-agent.sh');
writeFileSync(AGENT, assembleAgent({ timing: true }));
const suffix = `${process.pid}-${randomBytes(3).toString('hex')}`;
const made: string[] = [];

/** The same kernel changes as `ip` argument lines (what one-process-per-operation tooling runs). */
function ipCommandLines(): string[] {
  const lines: string[] = [];
  let priority = 20000;
  for (let eni = 1; eni <= ENIS; eni += 1) {
    const table = 20000 + eni;
    for (let ip = 10; ip < 10 + IPS; ip += 1) lines.push(`address add 10.${eni}.0.${ip}/20 dev eth${eni} label eth${eni}:ep`);
    lines.push(`route replace 10.${eni}.0.0/20 dev eth${eni} table ${table} proto 224`);
    lines.push(`route replace default via 10.${eni}.0.1 dev eth${eni} table ${table} proto 224 onlink`);
    for (let ip = 10; ip < 10 + IPS; ip += 1) lines.push(`rule add pref ${priority++} from 10.${eni}.0.${ip} lookup ${table} proto 224`);
    lines.push(`rule add pref ${21000 + eni} fwmark 0x${eni.toString(16)}/0x7f lookup ${table} proto 224`);
  }
  return lines;
}

function freshHost(): string {
  const ns = `epb-${suffix}-${made.length}`;
  const peer = `${ns}p`;
  made.push(ns, peer);
  execFileSync('ip', ['netns', 'add', ns]);
  execFileSync('ip', ['netns', 'add', peer]);
  const links = Array.from({ length: ENIS }, (_, i) => [
    `link add eth${i + 1} address ${macOf(i + 1)} type veth peer name p${i + 1} netns ${peer}`,
    `link set eth${i + 1} up`,
  ]).flat();
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${links.join('\n')}\n` });
  execFileSync('ip', ['-n', peer, '-batch', '-'], { input: `${links.filter((l) => l.startsWith('link set')).map((l) => l.replace(/eth/, 'p')).join('\n')}\n` });
  return ns;
}

function dropHosts(): void {
  for (const name of made.splice(0)) spawnSync('ip', ['netns', 'del', name], { stdio: 'ignore' });
}

function timed(run: () => void): number {
  const start = process.hrtime.bigint();
  run();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function agent(ns: string, mode: 'apply' | 'inspect', plan = ''): { stdout: string; stderr: string; code: number | null } {
  const result = spawnSync('ip', ['netns', 'exec', ns, 'bash', AGENT, mode], {
    env: { PATH: process.env.PATH ?? '/usr/sbin:/usr/bin:/sbin:/bin', SSM_Plan: plan },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

function main(): void {
  if (process.getuid?.() !== 0) {
    console.log('agent-apply: skipped (needs root for network namespaces)');
    return;
  }
  const planText = largestInstancePlanText();
  const planParameter = gzipSync(planText, { level: 9 }).toString('base64');
  const ipLines = ipCommandLines();
  const ruleLines = planText.split('\n').filter((line) => line.startsWith('rule add')).length;
  try {
    const apply: number[] = [];
    const digested: number[] = []; // the agent's own clock: its first line to the after digest (the after-inspect's first line)
    const afterInspect: number[] = []; // the agent's own clock: its first line to the after-inspect printed (the whole result)
    const unchanged: number[] = [];
    const inspect: number[] = [];
    let inspectChars = 0;
    let applyOutputChars = 0;
    let operations = 0;
    let inspectNs = '';
    for (let i = 0; i < SAMPLES; i += 1) {
      const ns = freshHost();
      let out = { stdout: '', stderr: '', code: null as number | null };
      apply.push(timed(() => (out = agent(ns, 'apply', planParameter))));
      if (out.code !== 0) throw new Error(`agent apply failed with ${out.code}: ${out.stdout.slice(0, 300)}`);
      operations = (JSON.parse(out.stdout) as { result: { operations: number } }).result.operations;
      const timing = /after digest (\d+), after-inspect printed (\d+)/.exec(out.stderr);
      if (timing !== null) {
        digested.push(Number(timing[1]));
        afterInspect.push(Number(timing[2]));
      }
      applyOutputChars = out.stdout.length;
      unchanged.push(timed(() => agent(ns, 'apply', planParameter)));
      inspectNs = ns;
    }
    for (let i = 0; i < SAMPLES; i += 1) inspect.push(timed(() => (inspectChars = agent(inspectNs, 'inspect').stdout.length)));
    const kernelRules = execFileSync('ip', ['-n', inspectNs, '-4', 'rule', 'show'], { encoding: 'utf8' }).trim().split('\n').length;

    const batch: number[] = [];
    for (let i = 0; i < SAMPLES; i += 1) {
      const ns = freshHost();
      batch.push(timed(() => execFileSync('ip', ['-n', ns, '-4', '-batch', '-'], { input: `${ipLines.join('\n')}\n` })));
    }
    const loop: number[] = [];
    for (let i = 0; i < LOOP_SAMPLES; i += 1) {
      const ns = freshHost();
      // one ip process per operation, spawned by a shell inside the namespace (no per-call node overhead)
      loop.push(timed(() => execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', 'while read -r line; do ip $line; done'], { input: `${ipLines.join('\n')}\n` })));
    }
    const applyMedian = median(apply);
    console.log(`plan: ${planText.split('\n').length - 2} operation lines (${ipLines.length} ip operations + sysctl + connmark), Plan parameter ${planParameter.length} chars`);
    console.log(`ip rule entries the plan needs: ${ruleLines} (kernel shows ${kernelRules} IPv4 rules incl. local/main/default)`);
    console.log(`load average during the run: ${loadavg().map((value) => value.toFixed(2)).join(', ')} (2 cores; other work inflates every figure)`);
    console.log(
      `agent apply, fresh namespace, wall time of the whole run as node spawns it (INCLUDES process start: ip netns exec + bash; decode, validate, ` +
        `lock, snapshot, ip -batch, nft, after digest, after-inspect, output): median ${ms(applyMedian)} over ${SAMPLES} [${apply.map(ms).join(', ')}], ` +
        `${operations} operations, output ${applyOutputChars} chars`,
    );
    if (digested.length > 0) {
      console.log(
        `  of which, by the agent's own clock from its first line (EXCLUDES process start, which the whole run includes): result with the after-inspect printed at median ` +
          `${ms(median(afterInspect))} [${afterInspect.map(ms).join(', ')}]; after digest at ${ms(median(digested))} (the after-inspect's first line: one kernel read gives both)`,
      );
    }
    console.log(`agent apply, same plan again (unchanged, with its inspect): median ${ms(median(unchanged))}`);
    console.log(`ip -4 -batch of the same ip operations alone: median ${ms(median(batch))}`);
    console.log(`one ip process per operation (the ip operations only: no nft, snapshot, restore or inspect; one netns exec + sh): median ${ms(median(loop))} over ${LOOP_SAMPLES} [${loop.map(ms).join(', ')}]`);
    console.log(`ratio per-process loop / agent apply (whole run, process start included): ${(median(loop) / applyMedian).toFixed(1)}x`);
    if (digested.length > 0) {
      console.log(`ratio per-process loop / agent apply with its after-inspect, agent clock: ${(median(loop) / median(afterInspect)).toFixed(1)}x`);
    }
    console.log(`agent inspect at this scale: median ${ms(median(inspect))}, ${inspectChars} chars on stdout (limit 24,000)`);
  } finally {
    dropHosts();
  }
}

try {
  main();
} finally {
  rmSync(AGENT_DIR, { recursive: true, force: true });
}
