/**
 * Runs the agent script itself inside a namespace with a PATH of the test's choosing (the local runner
 * gives the SSM Agent's fixed PATH): the script decoded from the committed document, the code an
 * instance runs.
 */
import { spawnSync } from 'node:child_process';
import { gzipSync } from 'node:zlib';
import { decodeApplyOutput, decodeInspectOutput, type ApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { shippedAgentPath } from './shipped-agent';

function runScript(ns: string, path: string, mode: 'apply' | 'inspect', plan = ''): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync('ip', ['netns', 'exec', ns, 'env', '-i', `PATH=${path}`, 'LANG=C', `SSM_Plan=${plan}`, 'bash', shippedAgentPath(), mode], {
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

export function applyWithPath(ns: string, path: string, planText: string): { code: number | null; output: ApplyOutput; stderr: string } {
  const run = runScript(ns, path, 'apply', encodePlanParameter(planText));
  return { code: run.code, output: decodeApplyOutput(run.stdout), stderr: run.stderr };
}

export function inspectWithPath(ns: string, path: string): Record<string, unknown> {
  const run = runScript(ns, path, 'inspect');
  if (run.code !== 0) throw new Error(`inspect failed: ${run.code} ${run.stderr}`);
  return decodeInspectOutput(run.stdout) as Record<string, unknown>;
}

/**
 * base64(gzip(plan)) without the SSM budget encodePlanParameter enforces: a plan past the Plan
 * parameter's share of the 64 KB quota can only reach the agent directly (its own cap is 1 MB decoded),
 * as a test that needs a long batch does.
 */
export function encodeForAgentOnly(planText: string): string {
  return gzipSync(Buffer.from(planText, 'utf8'), { level: 9 }).toString('base64');
}
