import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import type { CloudFormationTemplate } from './template';

const root = join(__dirname, '..', '..');
/** What `serverless package` reads: a change to any of these repackages. */
const inputs = ['serverless.yml', 'resources', 'scripts/serverless', 'functions', 'ssm', 'package-lock.json'];
const cacheRoot = join(root, 'node_modules', '.cache', 'eni-pbr-package');

export const STAGE = 'test';
export const REGION = 'ap-northeast-1';

export interface PackagedService {
  readonly dir: string;
  readonly template: CloudFormationTemplate;
  /** Seconds `serverless package` took, or undefined when the package came from the cache. */
  readonly packageSeconds: number | undefined;
}

function filesUnder(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).sort().flatMap((name) => filesUnder(join(path, name)));
}

/** A hash of every input's path and bytes: the cache key of one packaging. */
export function packageInputsHash(): string {
  const hash = createHash('sha256');
  for (const file of inputs.flatMap((input) => filesUnder(join(root, input)))) {
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}

let packaged: Promise<PackagedService> | undefined;

/**
 * `npx serverless package --stage test --region ap-northeast-1` once per content hash: test files (and
 * jest workers) share the result through node_modules/.cache. Offline: osls needs no network and no
 * credentials to package. A lock serialises packagings; each writes to a scratch directory renamed into
 * place, so a reader never sees half a package.
 */
export function packagedService(): Promise<PackagedService> {
  packaged ??= packageOnce();
  return packaged;
}

async function packageOnce(): Promise<PackagedService> {
  const dir = join(cacheRoot, packageInputsHash());
  const templateFile = join(dir, 'cloudformation-template-update-stack.json');
  let packageSeconds: number | undefined;
  if (!existsSync(templateFile)) {
    mkdirSync(cacheRoot, { recursive: true });
    // serverless-esbuild builds in the service's .esbuild folder: one packaging at a time.
    await withLock(join(cacheRoot, 'lock'), async () => {
      if (existsSync(templateFile)) return;
      const scratch = `${dir}.${process.pid}`;
      rmSync(scratch, { recursive: true, force: true });
      const started = process.hrtime.bigint();
      await promisify(execFile)(
        process.execPath,
        [join(root, 'node_modules', 'osls', 'bin', 'serverless.js'), 'package', '--stage', STAGE, '--region', REGION, '--package', scratch],
        { cwd: root, env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off' }, timeout: 240_000 },
      );
      packageSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      renameSync(scratch, dir);
    });
  }
  const template = JSON.parse(readFileSync(templateFile, 'utf8')) as CloudFormationTemplate;
  return { dir, template, packageSeconds };
}

const LOCK_POLL_MS = 250;
const LOCK_STALE_MS = 300_000; // a packaging killed mid-way leaves its lock; no packaging takes 5 minutes

/** mkdir is atomic: the worker that creates the directory holds the lock. */
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
