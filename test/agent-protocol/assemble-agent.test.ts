/**
 * scripts/agent/ is the source; the SSM document ships what assembleAgent makes of it. These check the
 * assembly itself: deterministic, complete, without the timing hooks unless asked, strict about the
 * forms it rewrites; and the source stays small files.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AGENT_SOURCE_DIR, AgentAssemblyError, assembleAgent } from '../../scripts/ssm/assemble-agent';

const shipped = assembleAgent();
const sources = ['eni-pbr-agent.sh', ...readdirSync(join(AGENT_SOURCE_DIR, 'lib')).map((name) => `lib/${name}`), ...readdirSync(join(AGENT_SOURCE_DIR, 'awk')).map((name) => `awk/${name}`)];

describe('assembleAgent', () => {
  it('gives the same bytes every time', () => {
    expect(assembleAgent()).toBe(shipped);
  });

  it('makes one script bash can parse, naming no source file', () => {
    expect(spawnSync('bash', ['-n'], { input: shipped }).status).toBe(0);
    expect(shipped).not.toContain('AGENT_DIR');
    expect(shipped).not.toMatch(/^\s*source /m);
  });

  it('carries every awk program, comments left in the source', () => {
    for (const name of sources.filter((source) => source.endsWith('.awk'))) {
      const code = readFileSync(join(AGENT_SOURCE_DIR, name), 'utf8').split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
      for (const line of code) expect(shipped).toContain(line.trimStart().replaceAll("'", "'\\''"));
    }
    expect(shipped.split('\n').filter((line) => line.trimStart().startsWith('#'))).toHaveLength(2);
  });

  it('leaves the timing hooks out unless asked for', () => {
    const timed = assembleAgent({ timing: true });

    expect(shipped).not.toMatch(/timing_|EPOCHREALTIME/);
    expect(timed).toContain('timing_mark "after digest"');
    expect(timed).toContain('EPOCHREALTIME');
  });

  it('drops the indentation without changing a function or a constant, as bash reads them', () => {
    // each form loaded from the same path (its last line, `main "$@"`, left out), then every function
    // and variable printed; the awk programs' own indentation (inside their constants) goes too
    const dir = mkdtempSync(join(tmpdir(), 'eni-pbr-unindented-'));
    const path = join(dir, 'eni-pbr-agent.sh');
    const printed = 'declare -f; declare -p | grep -Ev "^declare -[-a-zA-Z]+ (BASH|FUNCNAME|PIPESTATUS|_=|SHLVL|RANDOM|SECONDS|EPOCH|LINENO|SRANDOM)"';
    const definitions = (script: string): string => {
      writeFileSync(path, script.replace(/main "\$@"\n$/, ''));
      const out = spawnSync('env', ['-i', 'PATH=/usr/bin:/bin', 'bash', '-c', `source "$1"; ${printed}`, path, path], { encoding: 'utf8' }).stdout;
      return out.replace(/\\n[ \t]+/g, '\\n');
    };
    try {
      const indented = assembleAgent({ indented: true });
      const [fromIndented, fromShipped] = [definitions(indented), definitions(shipped)];

      expect(indented.length).toBeGreaterThan(shipped.length + 2_000);
      expect(fromShipped).toBe(fromIndented);
      expect(fromShipped).toContain('cmd_apply () \n{');
      expect(fromShipped).toContain('declare -r GUARD_AWK=');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the fault hooks (lib/fault.sh, the dead-man tests) out unless asked for', () => {
    const faulty = assembleAgent({ faults: true });

    expect(shipped).not.toMatch(/fault_|ENI_PBR_FAULT/);
    expect(faulty).toContain('fault_after_apply() {');
    expect(faulty).toContain('|| fault_after_apply # fault');
  });

  it('keeps every source file at 300 lines or fewer', () => {
    const long = sources.map((name) => [name, readFileSync(join(AGENT_SOURCE_DIR, name), 'utf8').split('\n').length - 1] as const).filter(([, lines]) => lines > 300);

    expect(sources.length).toBeGreaterThan(10);
    expect(long).toEqual([]);
  });
});

describe('assembleAgent on sources of another form', () => {
  let dir: string;
  const entry = (line: string): string => `#!/usr/bin/env bash\nset -eu\nAGENT_DIR=x\n${line}\nmain "$@"\n`;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'eni-pbr-assemble-'));
    mkdirSync(join(dir, 'lib'));
    mkdirSync(join(dir, 'awk'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('inlines a library and an awk program as a quoted constant', () => {
    writeFileSync(join(dir, 'eni-pbr-agent.sh'), entry('source "$AGENT_DIR/lib/a.sh"'));
    writeFileSync(join(dir, 'lib', 'a.sh'), '# shellcheck shell=bash\n# why\nPROGRAM=$(<"$AGENT_DIR/awk/p.awk")\n');
    writeFileSync(join(dir, 'awk', 'p.awk'), "# a comment\n{ print \"it's\" }\n");

    expect(assembleAgent({}, dir)).toBe(`#!/usr/bin/env bash\n# eni-pbr agent, assembled from scripts/agent/ by scripts/ssm/assemble-agent.ts; the comments are there.\nset -eu\nPROGRAM='{ print "it'\\''s" }'\nmain "$@"\n`);
  });

  it.each([
    ['a library sourced with "."', entry('. "$AGENT_DIR/lib/a.sh"'), '# shellcheck shell=bash\n'],
    ['a library without its shell directive', entry('source "$AGENT_DIR/lib/a.sh"'), 'echo hi\n'],
    ['a library that sources another', entry('source "$AGENT_DIR/lib/a.sh"'), '# shellcheck shell=bash\nsource "$AGENT_DIR/lib/b.sh"\n'],
    ['a heredoc, whose lines could look like comments', entry('source "$AGENT_DIR/lib/a.sh"'), "# shellcheck shell=bash\ncat <<'X'\n# not a comment\nX\n"],
    ['a timing hook without its mark', entry('timing_mark start'), ''],
  ])('refuses %s', (_name, entryText, library) => {
    writeFileSync(join(dir, 'eni-pbr-agent.sh'), entryText);
    writeFileSync(join(dir, 'lib', 'a.sh'), library);

    expect(() => assembleAgent({}, dir)).toThrow(AgentAssemblyError);
  });
});
