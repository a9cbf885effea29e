import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

/** IAM service prefix of each SDK client package. */
const IAM_PREFIX: Record<string, string> = { ec2: 'ec2', ssm: 'ssm', sqs: 'sqs', eventbridge: 'events', dynamodb: 'dynamodb' };
/** Waiters poll one API call. */
const WAITER_CALL: Record<string, string> = { waitUntilCommandExecuted: 'GetCommandInvocation' };

const IMPORT = /import\s+(type\s+)?\{([^}]*)\}\s*from\s*'@aws-sdk\/client-([a-z0-9-]+)'/g;

/** The API call one imported SDK name makes (`DescribeSubnetsCommand` → DescribeSubnets), if any. */
function callOf(name: string): string | undefined {
  if (name.endsWith('Command')) return name.slice(0, -'Command'.length);
  if (name.startsWith('paginate')) return name.slice('paginate'.length);
  return WAITER_CALL[name];
}

/** `prefix:Call` for every SDK command, paginator or waiter a source file imports (type imports skipped). */
export function sdkCallsIn(source: string): string[] {
  const calls: string[] = [];
  for (const [, typeOnly, names = '', client = ''] of source.matchAll(IMPORT)) {
    if (typeOnly) continue;
    const prefix = IAM_PREFIX[client];
    if (prefix === undefined) throw new Error(`no IAM prefix known for @aws-sdk/client-${client}`);
    for (const raw of names.split(',')) {
      const name = raw.trim().split(/\s+as\s+/)[0]?.trim() ?? '';
      if (name === '' || name.startsWith('type ')) continue;
      const call = callOf(name);
      if (call !== undefined) calls.push(`${prefix}:${call}`);
    }
  }
  return calls;
}

/**
 * Every AWS API call the code bundled from `entry` can make: esbuild resolves the same import graph the
 * packaged bundle has (type-only imports erased), and each project file it reaches is read for SDK imports.
 */
export async function sdkCallsOfBundle(entry: string): Promise<string[]> {
  const result = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    logLevel: 'silent',
  });
  const files = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules'));
  return [...new Set(files.flatMap((file) => sdkCallsIn(readFileSync(join(root, file), 'utf8'))))].sort();
}
