/**
 * Amazon Linux 2 runs bash 4.2, and bash before 4.4 treats an empty array as unbound under `set -u`:
 * `"${a[@]}"` aborts the agent (exit 1, no result) where a plan empties a list (`connmark 0x7f` with no
 * interface). No bash 4.2 can be had here (Debian's archive starts at bullseye's 5.1), so this reads the
 * agent instead: every array expanded whole is either guarded, `${a[@]+"${a[@]}"}`, or a readonly array
 * with literal members.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const AGENT_DIR = join(__dirname, '..', '..', 'scripts', 'agent');

function agentSources(): { file: string; text: string }[] {
  const files = [join(AGENT_DIR, 'eni-pbr-agent.sh')];
  const lib = join(AGENT_DIR, 'lib');
  if (existsSync(lib)) files.push(...readdirSync(lib).filter((name) => name.endsWith('.sh')).map((name) => join(lib, name)));
  return files.filter((file) => existsSync(file)).map((file) => ({ file, text: readFileSync(file, 'utf8') }));
}

describe('the agent under bash 4.2 (Amazon Linux 2)', () => {
  const sources = agentSources();
  const neverEmpty = new Set(sources.flatMap(({ text }) => [...text.matchAll(/^readonly -a ([A-Za-z_]+)=\(\S/gm)].map((match) => match[1] as string)));

  it('expands no array that may be empty without the ${a[@]+"${a[@]}"} guard', () => {
    const unguarded = sources.flatMap(({ file, text }) =>
      text.split('\n').flatMap((line, index) =>
        [...line.matchAll(/(\$\{([A-Za-z_]+)\[@\]\+)?"\$\{([A-Za-z_]+)\[@\]\}"/g)]
          .filter((match) => match[1] === undefined && !neverEmpty.has(match[3] as string))
          .map(() => `${file.slice(AGENT_DIR.length + 1)}:${index + 1}: ${line.trim()}`),
      ),
    );

    expect(unguarded).toEqual([]);
  });

  it('finds the arrays it checks (the pattern still matches the source)', () => {
    expect(sources.some(({ text }) => text.includes('${CM_ENTRIES[@]+"${CM_ENTRIES[@]}"}'))).toBe(true);
  });
});
