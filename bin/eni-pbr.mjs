#!/usr/bin/env node
// `eni-pbr` runs the TypeScript sources directly through tsx: no build step, so `npx eni-pbr` works in
// a fresh clone right after `npm ci`. The sources are CommonJS (package.json has no "type"), so they
// load through tsx's require hook.
import { createRequire } from 'node:module';
import { register } from 'tsx/cjs/api';

register();
const require = createRequire(import.meta.url);
const { main } = require('../functions/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
