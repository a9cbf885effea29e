import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentDocument } from '../../agent-protocol/agent-document';
import { AGENT_TIMEOUT_SECONDS } from '../../agent-protocol/agent-document';
import { assertCommandFitsQuota } from '../../agent-protocol/ssm-size-budget';
import {
  STDERR_LIMIT_CHARS,
  STDOUT_LIMIT_CHARS,
  TIMED_OUT_RESPONSE_CODE,
  type CommandInvocationResult,
} from './command-invocation-result';
import { loadAgentDocument } from './load-agent-document';
import { interpolateText, resolveParameters, type AgentParameters } from './substitute-parameters';

export type { CommandInvocationResult } from './command-invocation-result';
export type { AgentDocument } from '../../agent-protocol/agent-document';
export { loadAgentDocument } from './load-agent-document';

export interface RunDocumentOptions {
  readonly netns: string;
  readonly parameters: AgentParameters;
  readonly timeoutMs?: number;
  readonly document?: AgentDocument;
  /** 'env-var': SSM Agent ≥ 3.3.2746.0 (SSM_<Name> variables); 'legacy': older agents, text interpolation only. */
  readonly agentStyle?: 'env-var' | 'legacy';
  /** A command prefix that runs the shell step inside the namespace (the compatibility matrix: a chroot into another userland). */
  readonly enter?: readonly string[];
  /** CancelCommand: kills the document's whole process group, as the SSM Agent does on cancel */
  readonly signal?: AbortSignal;
}

export class LocalRunError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LocalRunError';
  }
}

const NETNS_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
// The SSM Agent runs commands as root with a plain system PATH, not the caller's environment.
const SSM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/**
 * Runs the document's shell step inside a network namespace as the SSM Agent would, and reports like
 * GetCommandInvocation. Refuses first what SSM would refuse: parameters outside allowedValues or
 * allowedPattern (ParameterValidationError), a document plus parameters past the 64 KB quota
 * (CommandTooLargeError).
 */
export async function runDocumentLocally(options: RunDocumentOptions): Promise<CommandInvocationResult> {
  if (!NETNS_NAME.test(options.netns)) throw new LocalRunError(`invalid network namespace name: ${options.netns}`);
  const document = options.document ?? loadAgentDocument();
  const values = resolveParameters(document, options.parameters);
  // SSM counts the document (as stored: compact JSON) and the runtime values against one 64 KB quota
  assertCommandFitsQuota(Buffer.byteLength(JSON.stringify(document)), values);
  const step = document.mainSteps[0];
  const script = interpolateText(step.inputs.runCommand, values);
  const env: Record<string, string> = { PATH: SSM_PATH, LANG: 'C' };
  if ((options.agentStyle ?? 'env-var') === 'env-var') {
    for (const [name, value] of Object.entries(values)) env[`SSM_${name}`] = value;
  }
  const timeoutMs = options.timeoutMs ?? Number(step.inputs.timeoutSeconds || AGENT_TIMEOUT_SECONDS) * 1000;
  const workDir = mkdtempSync(join(tmpdir(), 'eni-pbr-run-'));
  try {
    const scriptPath = join(workDir, '_script.sh');
    writeFileSync(scriptPath, script, { mode: 0o700 });
    env.TMPDIR = workDir;
    return await runBounded(['netns', 'exec', options.netns, ...(options.enter ?? []), 'sh', scriptPath], env, timeoutMs, options.signal);
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function runBounded(args: string[], env: Record<string, string>, timeoutMs: number, signal?: AbortSignal): Promise<CommandInvocationResult> {
  return new Promise((resolve, reject) => {
    // detached: the child leads its own process group, so a timeout kills the agent and everything it started.
    const child = spawn('ip', args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutMs);
    const cancel = (): void => killGroup(child.pid);
    signal?.addEventListener('abort', cancel, { once: true });
    child.on('error', (cause) => {
      clearTimeout(timer);
      reject(new LocalRunError('cannot start ip netns exec', { cause }));
    });
    child.on('close', (code, exitSignal) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
      const out = Buffer.concat(stdout).toString('utf8').slice(0, STDOUT_LIMIT_CHARS);
      const err = Buffer.concat(stderr).toString('utf8').slice(0, STDERR_LIMIT_CHARS);
      if (timedOut) {
        resolve({ Status: 'TimedOut', ResponseCode: TIMED_OUT_RESPONSE_CODE, StandardOutputContent: out, StandardErrorContent: err });
        return;
      }
      const responseCode = code ?? 128 + signalNumber(exitSignal);
      resolve({ Status: responseCode === 0 ? 'Success' : 'Failed', ResponseCode: responseCode, StandardOutputContent: out, StandardErrorContent: err });
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // the group already exited between the timer firing and the kill
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === null ? 0 : (constants.signals[signal] ?? 0);
}
