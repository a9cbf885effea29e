// The packaged functions: `serverless package` time, each minified ESM bundle's size, and its cold
// module-load time under Node 22 against a baseline measured in the same run — a bare handler that imports
// and builds only the SDK clients the function calls, bundled with the same esbuild options.
// Goal (issue 8): bundled handler ≤ 1.3 × the bare one. Figures only; nothing here asserts a time.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageServiceInto } from '../scripts/serverless/package-service';
import { sdkCallsOfBundle } from '../scripts/serverless/sdk-calls';
import { unzipPackage } from '../test/service-package/invoke-bundled';
import { coldLoadMedians } from './cold-load';

const FUNCTIONS = ['intake', 'remediate'];
const ROUNDS = 15;
/** IAM prefix → the SDK client package and class that calls it. */
const CLIENTS: Record<string, [string, string]> = {
  ec2: ['@aws-sdk/client-ec2', 'EC2Client'],
  ssm: ['@aws-sdk/client-ssm', 'SSMClient'],
  sqs: ['@aws-sdk/client-sqs', 'SQSClient'],
  events: ['@aws-sdk/client-eventbridge', 'EventBridgeClient'],
  dynamodb: ['@aws-sdk/client-dynamodb', 'DynamoDBClient'],
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;

/** The baseline: the function's SDK clients imported and built at module scope, a handler doing nothing. */
async function bareHandler(fn: string, esbuildOptions: Record<string, unknown>, scratch: string): Promise<string> {
  const prefixes = [...new Set((await sdkCallsOfBundle(`functions/${fn}/handler.ts`)).map((call) => call.split(':')[0] as string))].sort();
  const clients = prefixes.map((prefix) => CLIENTS[prefix] as [string, string]);
  const source = [
    ...clients.map(([pkg, cls]) => `import { ${cls} } from '${pkg}';`),
    `export const clients = [${clients.map(([, cls]) => `new ${cls}({})`).join(', ')}];`,
    'export const handler = async () => clients.length;',
  ].join('\n');
  const entry = join(scratch, `bare-${fn}.ts`);
  writeFileSync(entry, source);
  const outfile = join(scratch, `bare-${fn}.mjs`);
  const { mainFields, banner, minify, target, platform, format } = esbuildOptions as Record<string, never>;
  await build({ entryPoints: [entry], outfile, bundle: true, minify, target, platform, format, mainFields, banner, nodePaths: [join(__dirname, '..', 'node_modules')], logLevel: 'silent' });
  console.log(`  ${fn} baseline clients: ${clients.map(([, cls]) => cls).join(', ')}`);
  return outfile;
}

/** Bytes each package contributes to the function's bundle (esbuild metafile), largest first. */
async function composition(fn: string, esbuildOptions: Record<string, unknown>): Promise<string> {
  const { mainFields, banner, minify, target, platform, format } = esbuildOptions as Record<string, never>;
  const result = await build({ entryPoints: [join(__dirname, '..', 'functions', fn, 'handler.ts')], outfile: 'composition.mjs', write: false, metafile: true, bundle: true, minify, target, platform, format, mainFields, banner, logLevel: 'silent' });
  const bytes = new Map<string, number>();
  for (const output of Object.values(result.metafile.outputs)) {
    for (const [file, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file)?.[1] ?? (file.endsWith('.json') ? 'ssm document (json)' : 'eni-pbr code');
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...bytes].sort((a, b) => b[1] - a[1]).slice(0, 8).map(([name, size]) => `${name} ${kb(size)}`).join(', ');
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), 'eni-pbr-bench-'));
  const packageDir = join(scratch, 'package');
  const seconds = await packageServiceInto(packageDir, 'bench', 'us-east-1');
  console.log(`serverless package (osls, offline, both functions): ${seconds.toFixed(1)} s`);
  const state = JSON.parse(readFileSync(join(packageDir, 'serverless-state.json'), 'utf8')) as { service: { custom: { esbuild: Record<string, unknown> } } };
  for (const fn of FUNCTIONS) {
    const handler = join(unzipPackage(join(packageDir, `${fn}.zip`)), 'functions', fn, 'handler.mjs');
    const bare = await bareHandler(fn, state.service.custom.esbuild, scratch);
    const medians = coldLoadMedians({ handler, bare }, ROUNDS);
    const ratio = (medians.handler as number) / (medians.bare as number);
    console.log(
      `  ${fn}: bundle ${kb(statSync(handler).size)} (zip ${kb(statSync(join(packageDir, `${fn}.zip`)).size)}), baseline ${kb(statSync(bare).size)}; ` +
        `cold load median ${medians.handler?.toFixed(0)} ms vs ${medians.bare?.toFixed(0)} ms = ${ratio.toFixed(2)}× (goal ≤ 1.3×, ${ROUNDS} runs each)`,
    );
    console.log(`  ${fn} bundle, largest parts: ${await composition(fn, state.service.custom.esbuild)}`);
  }
}

void main();
