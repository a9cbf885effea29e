import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import type { NamespaceHost } from './namespace-host';
import { encodeForAgentOnly } from './run-agent-script';
import { shippedAgentPath } from './shipped-agent';

const DEADLINE_MS = 20_000;

export interface Ended {
  readonly code: number | null;
  readonly stdout: string;
  readonly acted: boolean; // whether `act` ran: the first route of table 20001 showed up before apply ended
}

/** A plan long enough to act while the kernel changes: 16,000 routes in table 20001 (a few hundred ms of batch). */
export const manyRoutes = (mac: string): string[] =>
  Array.from({ length: 16_000 }, (_, i) => `route replace 4 20001 10.${16 + Math.floor(i / 250)}.${i % 250}.0/24 dev ${mac}`);

/**
 * Starts the shipped agent's apply (or `agent`, with `env` added: KEY=VALUE words) in its own process
 * group (as the SSM Agent does), runs `act` once `table` holds a route — mid-apply — and resolves when
 * apply ends (bounded: the group is killed after twice the deadline).
 */
export function applyActingMidChange(
  host: NamespaceHost,
  plan: string,
  act: (child: ChildProcess) => void,
  options: { readonly env?: readonly string[]; readonly agent?: string; readonly table?: number } = {},
): Promise<Ended> {
  // detached: the agent leads its own group; `ip netns exec` and `env` exec, so the pid is bash's
  const words = ['env', '-i', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin', ...(options.env ?? []), `SSM_Plan=${encodeForAgentOnly(plan)}`];
  const child = spawn('ip', ['netns', 'exec', host.ns, ...words, 'bash', options.agent ?? shippedAgentPath(), 'apply'], {
    detached: true,
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  let acted = false;
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  const ended = new Promise<Ended>((resolve) => child.on('close', (code) => resolve({ code, stdout, acted })));
  const started = Date.now();
  const poll = (): void => {
    if (child.exitCode !== null || Date.now() - started > DEADLINE_MS) return;
    const listed = spawnSync('ip', ['-n', host.ns, '-4', 'route', 'show', 'table', String(options.table ?? 20001)], { encoding: 'utf8', timeout: 5_000 });
    if (listed.stdout.trim() === '') {
      setTimeout(poll, 2);
      return;
    }
    acted = true;
    act(child);
  };
  setTimeout(poll, 2);
  const guard = setTimeout(() => child.pid && process.kill(-child.pid, 'SIGKILL'), DEADLINE_MS * 2);
  return ended.finally(() => clearTimeout(guard));
}
