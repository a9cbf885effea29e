// Should the shared runtime dependencies (AWS SDK clients, Powertools, middy, zod) ship in a Lambda layer,
// with each function bundling only its own code, instead of everything bundled per function? Compares
// cold module-load time under Node 22 (medians, interleaved, same run), package size and deploy size.
// The layer is emulated by a node_modules the function resolves at load (what /opt/nodejs/node_modules is
// to a CommonJS function; an ES module function cannot even resolve it: ESM ignores NODE_PATH).
// A third candidate keeps everything bundled but the AWS SDK, left to the copy the nodejs22.x runtime
// ships (emulated by the same node_modules). Figures and the decision: layers/README.md.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { packageService } from '../scripts/serverless/package-service';
import { unzipPackage } from '../test/service-package/invoke-bundled';
import { coldLoadMedians } from './cold-load';

const root = join(__dirname, '..');
const FUNCTIONS = ['intake', 'remediate'];
const ROUNDS = 11;
const ZIP_ENTRY_OVERHEAD = 100; // local + central headers and the name, per file (approximate)
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

function filesUnder(path: string): string[] {
  const stat = statSync(path);
  if (!stat.isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesUnder(join(path, name)));
}

/** Raw and zipped bytes of the production dependency closure: what a layer would hold. */
function layerSize(): { raw: number; zipped: number; files: number } {
  const packages = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root }).toString().trim().split('\n').slice(1);
  const files = [...new Set(packages.flatMap((dir) => filesUnder(dir).filter((file) => !file.slice(dir.length).includes('/node_modules/'))))];
  let raw = 0;
  let zipped = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    raw += bytes.length;
    zipped += deflateRawSync(bytes).length + ZIP_ENTRY_OVERHEAD;
  }
  return { raw, zipped, files: files.length };
}

async function main(): Promise<void> {
  const { dir } = await packageService('test', 'ap-northeast-1');
  const esbuildOptions = (JSON.parse(readFileSync(join(dir, 'serverless-state.json'), 'utf8')) as { service: { custom: { esbuild: Record<string, never> } } }).service.custom.esbuild;
  const scratch = mkdtempSync(join(tmpdir(), 'eni-pbr-layer-'));
  const layer = layerSize();
  console.log(`layer (production dependencies): ${layer.files} files, ${mb(layer.raw)} raw, ≈ ${mb(layer.zipped)} zipped`);
  let bundledDeploy = 0;
  let layeredDeploy = layer.zipped;
  for (const fn of FUNCTIONS) {
    const bundled = join(unzipPackage(join(dir, `${fn}.zip`)), 'functions', fn, 'handler.mjs');
    const task = join(scratch, fn);
    mkdirSync(task);
    symlinkSync(join(root, 'node_modules'), join(task, 'node_modules'));
    const layered = join(task, 'handler.mjs');
    const { mainFields, banner, minify, target, platform, format } = esbuildOptions;
    await build({ entryPoints: [join(root, 'functions', fn, 'handler.ts')], outfile: layered, bundle: true, packages: 'external', minify, target, platform, format, mainFields, banner, logLevel: 'silent' });
    const sdkExternal = join(task, 'handler-sdk-external.mjs');
    await build({ entryPoints: [join(root, 'functions', fn, 'handler.ts')], outfile: sdkExternal, bundle: true, external: ['@aws-sdk/*'], minify, target, platform, format, mainFields, banner, logLevel: 'silent' });
    const layeredZip = deflateRawSync(readFileSync(layered)).length + ZIP_ENTRY_OVERHEAD;
    const bundledZip = statSync(join(dir, `${fn}.zip`)).size;
    bundledDeploy += bundledZip;
    layeredDeploy += layeredZip;
    const medians = coldLoadMedians({ bundled, layered, sdkExternal }, ROUNDS);
    console.log(
      `  ${fn}: bundled ${mb(statSync(bundled).size)} (zip ${mb(bundledZip)}), cold load ${medians.bundled?.toFixed(0)} ms | ` +
        `layer + own code ${mb(statSync(layered).size)} (zip ${mb(layeredZip)}), cold load ${medians.layered?.toFixed(0)} ms ` +
        `= ${((medians.layered as number) / (medians.bundled as number)).toFixed(2)}× the bundle (${ROUNDS} runs each)`,
    );
    console.log(
      `  ${fn}: runtime's SDK (all else bundled) ${mb(statSync(sdkExternal).size)}, cold load ${medians.sdkExternal?.toFixed(0)} ms ` +
        `= ${((medians.sdkExternal as number) / (medians.bundled as number)).toFixed(2)}× the bundle`,
    );
  }
  console.log(`deploy upload, both functions: bundled ${mb(bundledDeploy)}; with a layer ${mb(layeredDeploy)} (${mb(layeredDeploy - layer.zipped)} when the layer is unchanged)`);
}

void main();
