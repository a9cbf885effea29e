import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { LabInfo, LabOptions } from './lab-options';
import { parseMatrix, type MatrixRow } from './lab-matrix';

const run = promisify(execFile);
const LAB_SCRIPT = join(__dirname, '..', '..', 'scripts', 'lab', 'lab.sh');
// up takes ~0.5 s and a matrix ~1–2 s (every probe is bounded at 2 s); these only stop a wedged kernel
// (the matrix bound leaves room for 36 parallel probes on a loaded 2-core CI box).
const UP_TIMEOUT_MS = 60_000;
const MATRIX_TIMEOUT_MS = 90_000;

export class LabError extends Error {
  override readonly name = 'LabError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** Runs one lab.sh command; its last stderr lines become the LabError's message. */
export async function lab(args: readonly string[], timeoutMs: number, input?: string): Promise<string> {
  try {
    const running = run('bash', [LAB_SCRIPT, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 4 * 1024 * 1024 });
    running.child.stdin?.end(input ?? '');
    const { stdout } = await running;
    return stdout;
  } catch (cause) {
    const stderr = (cause as { stderr?: string }).stderr ?? '';
    throw new LabError(`lab.sh ${args[0]} failed: ${stderr.trim().split('\n').slice(-3).join(' | ')}`, { cause });
  }
}

/** Builds (or keeps, when identical and up) the lab; a failed build removes what it made. */
export async function labUp(options: LabOptions): Promise<LabInfo> {
  const boot = options.bootEnis === undefined ? [] : ['--boot-enis', String(options.bootEnis)];
  await lab(['up', '--name', options.name, '--preset', options.preset, '--variant', options.variant, '--ifnames', options.ifnames, ...boot], UP_TIMEOUT_MS);
  return labInfo(options.name);
}

/** Removes the lab's namespaces, its servers and its state; safe to call when it is not up. */
export async function labDown(name: string): Promise<void> {
  await lab(['down', '--name', name], UP_TIMEOUT_MS);
}

export async function labInfo(name: string): Promise<LabInfo> {
  const fields = new Map(
    (await lab(['info', '--name', name], UP_TIMEOUT_MS))
      .trim()
      .split('\n')
      .map((line) => line.split('\t') as [string, string]),
  );
  const field = (key: string): string => {
    const value = fields.get(key);
    if (value === undefined) throw new LabError(`lab.sh info printed no ${key}`);
    return value;
  };
  return {
    name,
    instanceNs: field('instance-ns'),
    routerNs: field('router-ns'),
    clientNs: field('client-ns'),
    client2Ns: field('client2-ns'),
    containerNs: field('container-ns'),
    enisFile: field('enis'),
    subnetsFile: field('subnets'),
    instanceId: field('instance-id'),
    poolNs: field('pool-ns'),
  };
}

/** Probes the lab from its two clients and its container, as lab.sh matrix does, and returns one row per probe. */
export async function probeMatrix(name: string): Promise<MatrixRow[]> {
  return parseMatrix(await probeMatrixTsv(name));
}

/** The probes as lab.sh prints them with --format tsv: what renderMatrix takes. */
export async function probeMatrixTsv(name: string): Promise<string> {
  return lab(['matrix', '--name', name, '--format', 'tsv'], MATRIX_TIMEOUT_MS);
}

/** The matrix as `npm run lab` prints it (lab.sh render), from probeMatrixTsv's output. */
export async function renderMatrix(name: string, tsv: string): Promise<string> {
  return lab(['render', '--name', name], MATRIX_TIMEOUT_MS, tsv);
}
