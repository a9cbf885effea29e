/**
 * Assembles the one script the SSM document ships from scripts/agent/: the entry point with each
 * `source "$AGENT_DIR/lib/<name>.sh"` line replaced by that file's text, and each
 * `NAME=$(<"$AGENT_DIR/awk/<name>.awk")` line by the program as a single-quoted constant. Only string
 * operations on the files: the same sources always give the same bytes (the committed document is
 * checked against a fresh build). Comment lines stay in the source (SSM's 64 KB counts every byte the
 * document carries; they would take a third of the payload). Lines marked `# timing` (the agent's own
 * clock) are left out unless `timing` is asked for (`npm run bench -- agent-apply` asks); lines marked
 * `# fault` (faults the dead-man and post-apply tests inject) unless `faults` is asked for (those tests ask).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const AGENT_SOURCE_DIR = join(__dirname, '..', 'agent');
const ENTRY = 'eni-pbr-agent.sh';

export interface AssembleOptions {
  readonly timing?: boolean;
  readonly faults?: boolean;
  /** the source's indentation kept (the test that proves dropping it changes no code asks) */
  readonly indented?: boolean;
}

export class AgentAssemblyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentAssemblyError';
  }
}

const SOURCE_LINE = /^source "\$AGENT_DIR\/(lib\/[a-z0-9-]+\.sh)"(?: # (timing|fault))?$/;
const AWK_LINE = /^([A-Z][A-Z0-9_]*)=\$\(<"\$AGENT_DIR\/(awk\/[a-z0-9-]+\.awk)"\)$/;
const OPTIONAL_MARK = / # (timing|fault)$/;
const SHELL_DIRECTIVE = '# shellcheck shell=bash';
const COMMENT_LINE = /^\s*#/;
// A heredoc could hold lines that look like comments: the library has none, and must not grow one.
const HEREDOC = /<<-?\s*['"]?[A-Za-z_]/;

export function assembleAgent(options: AssembleOptions = {}, dir: string = AGENT_SOURCE_DIR): string {
  const kept = { timing: options.timing ?? false, fault: options.faults ?? false };
  const keep = (mark: string | undefined): boolean => mark === undefined || kept[mark as keyof typeof kept];
  const unindented = options.indented ? (line: string): string => line : dropIndentation;
  const read = (path: string): string => readFileSync(join(dir, path), 'utf8');
  const [shebang, ...entry] = read(ENTRY).replace(/\n$/, '').split('\n');
  const out = [shebang ?? '', '# eni-pbr agent, assembled from scripts/agent/ by scripts/ssm/assemble-agent.ts; the comments are there.'];
  for (const line of entry) {
    if (line.startsWith('AGENT_DIR=') || COMMENT_LINE.test(line)) continue;
    if (HEREDOC.test(line)) throw new AgentAssemblyError(`${ENTRY} holds a heredoc`);
    const source = SOURCE_LINE.exec(line);
    if (source) {
      if (!keep(source[2])) continue;
      out.push(...libraryLines(read(source[1] as string), source[1] as string, { keep, unindented }, read));
      continue;
    }
    if (!keep(OPTIONAL_MARK.exec(line)?.[1])) continue;
    out.push(unindented(line));
  }
  const script = `${out.join('\n')}\n`;
  if (script.includes('AGENT_DIR')) throw new AgentAssemblyError('the assembled agent still names AGENT_DIR: a source or awk line of another form');
  if (!kept.timing && script.includes('timing_')) throw new AgentAssemblyError('a timing hook is not marked "# timing"');
  if (!kept.fault && script.includes('fault_')) throw new AgentAssemblyError('a fault hook is not marked "# fault"');
  return script;
}

interface LineRules {
  readonly keep: (mark: string | undefined) => boolean;
  readonly unindented: (line: string) => string;
}

function libraryLines(text: string, name: string, { keep, unindented }: LineRules, read: (path: string) => string): string[] {
  const lines = text.replace(/\n$/, '').split('\n');
  if (lines[0] !== SHELL_DIRECTIVE) throw new AgentAssemblyError(`${name} does not start with "${SHELL_DIRECTIVE}"`);
  const kept: string[] = [];
  for (const line of lines.slice(1)) {
    if (COMMENT_LINE.test(line)) continue;
    if (/^\s*(source|\.) /.test(line)) throw new AgentAssemblyError(`${name} sources another file: only the entry point does`);
    if (HEREDOC.test(line)) throw new AgentAssemblyError(`${name} holds a heredoc`);
    if (!keep(OPTIONAL_MARK.exec(line)?.[1])) continue;
    const awk = AWK_LINE.exec(line);
    kept.push(awk ? `${awk[1]}=${singleQuoted(awkProgram(read(awk[2] as string), unindented))}` : unindented(line));
  }
  return kept;
}

/** The program without its comment lines and indentation, and without the trailing newlines `$(<file)` drops. */
function awkProgram(text: string, unindented: (line: string) => string): string {
  return text
    .replace(/\n+$/, '')
    .split('\n')
    .filter((line) => !COMMENT_LINE.test(line))
    .map(unindented)
    .join('\n');
}

/**
 * A line without its indentation: SSM counts every byte, and indentation is a few hundred of them even
 * gzipped. Safe only while no quoted string spans lines (a heredoc is refused above);
 * test/agent-protocol/assemble-agent.test.ts has bash compare every function and constant of the
 * indented and the shipped forms.
 */
function dropIndentation(line: string): string {
  return line.replace(/^[ \t]+/, '');
}

/** The text as one bash single-quoted word: what `$(<file)` would have read, byte for byte. */
function singleQuoted(text: string): string {
  return `'${text.replaceAll("'", "'\\''")}'`;
}
