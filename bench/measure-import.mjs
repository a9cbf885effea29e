// Child of the bundle benchmarks, run under Node 22: imports one module once (a cold load, as a Lambda
// init does) and prints the milliseconds the import took.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const started = performance.now();
await import(pathToFileURL(process.argv[2]).href);
process.stdout.write(`${performance.now() - started}\n`);
