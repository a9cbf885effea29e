/**
 * Runs the agent script itself inside a namespace with a PATH of the test's choosing (the local runner
 * gives the SSM Agent's fixed PATH). The document embeds this very file byte for byte
 * (test/agent-protocol/build-agent-document.test.ts), so it is the code an instance runs.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeApplyOutput, decodeInspectOutput, type ApplyOutput } from '../../functions/agent-protocol/decode-agent-output';
import { encodePlanParameter } from '../../functions/agent-protocol/encode-plan-parameter';
import { enterUserland } from '../compat/userland';

const AGENT = join(__dirname, '..', '..', 'scripts', 'agent', 'eni-pbr-agent.sh');

function runScript(ns: string, path: string, mode: 'apply' | 'inspect', plan = ''): { code: number | null; stdout: string; stderr: string } {
  // a copy in /tmp, which a compatibility userland's chroot shares; the repository is not inside it
  const dir = mkdtempSync(join(tmpdir(), 'eni-pbr-agent-'));
  try {
    const agent = join(dir, 'eni-pbr-agent.sh');
    copyFileSync(AGENT, agent);
    const run = spawnSync('ip', ['netns', 'exec', ns, ...enterUserland(), 'env', '-i', `PATH=${path}`, 'LANG=C', `SSM_Plan=${plan}`, 'bash', agent, mode], {
      encoding: 'utf8',
      timeout: 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: run.status, stdout: run.stdout, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
