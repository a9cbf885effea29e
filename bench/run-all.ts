// `npm run bench`: runs every bench/*.bench.ts in turn; each prints its own figures.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const benches = readdirSync(__dirname).filter((name) => name.endsWith('.bench.ts')).sort();
const only = process.argv.slice(2);
let failed = 0;
for (const name of benches) {
  if (only.length > 0 && !only.some((filter) => name.includes(filter))) continue;
  console.log(`\n== ${name}`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(__dirname, name)], { stdio: 'inherit' });
  if (run.status !== 0) failed += 1;
}
process.exit(failed === 0 ? 0 : 1);
