import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';

const root = join(__dirname, '..', '..');
/** What `serverless package` reads: a change to any of these repackages. */
const INPUTS = ['serverless.yml', 'resources', 'scripts/serverless', 'functions', 'ssm', 'package-lock.json'];
const CACHE_ROOT = join(root, 'node_modules', '.cache', 'eni-pbr-package');
const LOCK_POLL_MS = 250;
const LOCK_STALE_MS = 300_000; // a packaging killed mid-way leaves its lock; none takes 5 minutes

export interface ServicePackage {
  /** The --package directory: the zips and cloudformation-template-update-stack.json. */
  readonly dir: string;
  /** Seconds `serverless package` took, or undefined when the package came from the cache. */
  readonly packageSeconds: number | undefined;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of every input's path and bytes, stage and region: the cache key of one packaging. */
export function packageInputsHash(stage: string, region: string): string {
  const hash = createHash('sha256').update(`${stage}\0${region}\0`);
  for (const file of INPUTS.flatMap((input) => filesUnder(join(root, input)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * `npx serverless package --stage <stage> --region <region>` (osls: offline, no credentials), once per
 * content hash: tests, jest workers and benchmarks share the result through node_modules/.cache. A lock
 * serialises packagings (serverless-esbuild builds in the service's .esbuild folder); each writes to a
 * scratch directory renamed into place, so a reader never sees half a package.
 */
export async function packageService(stage: string, region: string): Promise<ServicePackage> {
  const dir = join(CACHE_ROOT, packageInputsHash(stage, region));
  const templateFile = join(dir, 'cloudformation-template-update-stack.json');
  let packageSeconds: number | undefined;
  if (existsSync(templateFile)) return { dir, packageSeconds };
  mkdirSync(CACHE_ROOT, { recursive: true });
  await withLock(join(CACHE_ROOT, 'lock'), async () => {
    if (existsSync(templateFile)) return;
    const scratch = `${dir}.${process.pid}`;
    rmSync(scratch, { recursive: true, force: true });
    packageSeconds = await packageServiceInto(scratch, stage, region);
    renameSync(scratch, dir);
  });
  return { dir, packageSeconds };
}

/** One uncached `serverless package` into `dir`; returns the seconds it took. */
export async function packageServiceInto(dir: string, stage: string, region: string): Promise<number> {
  const started = process.hrtime.bigint();
  await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules', 'osls', 'bin', 'serverless.js'), 'package', '--stage', stage, '--region', region, '--package', dir],
    { cwd: root, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }, timeout: 240_000 },
  );
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** mkdir is atomic: the process that creates the directory holds the lock. */
async function withLock(lock: string, work: () => Promise<void>): Promise<void> {
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > LOCK_STALE_MS) rmSync(lock, { recursive: true, force: true });
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
