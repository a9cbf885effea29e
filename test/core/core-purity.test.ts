import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const coreDir = join(__dirname, '..', '..', 'functions', 'core');

function listSources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listSources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

const sources = listSources(coreDir).map((path) => ({ file: relative(coreDir, path), text: readFileSync(path, 'utf8') }));
const importedModules = (text: string): string[] =>
  [...text.matchAll(/(?:from\s+|import\s*\(\s*|require\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('the pure core', () => {
  it('has sources to check', () => {
    expect(sources.length).toBeGreaterThan(3);
  });

  it.each(sources)('$file imports only relative modules and zod', ({ text }) => {
    const foreign = importedModules(text).filter((m) => !m.startsWith('.') && m !== 'zod');
    expect(foreign).toEqual([]);
  });

  it.each(sources)('$file reads no environment and does no I/O', ({ text }) => {
    expect(text).not.toMatch(/process\.env|process\.argv|\bfetch\(|require\(/);
  });

  it('would catch an AWS import', () => {
    expect(importedModules("import { EC2Client } from '@aws-sdk/client-ec2';")).toEqual(['@aws-sdk/client-ec2']);
  });
});
