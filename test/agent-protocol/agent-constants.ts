/**
 * What the shipped agent declares, read from its text (the script decoded from the committed document):
 * its `readonly` constants and the `-v NAME="$CONSTANT"` pairs it hands its plan program, so that a test
 * runs scripts/agent/awk/*.awk with exactly the values the agent passes.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { extractAgentText } from '../../functions/agent-protocol/extract-agent-text';

export const AWK_DIR = join(__dirname, '..', '..', 'scripts', 'agent', 'awk');
const shipped = extractAgentText(loadAgentDocument());

/** NAME → value of every `readonly NAME=value` the agent declares (not arrays, not expansions). */
export function agentConstants(): ReadonlyMap<string, string> {
  const constants = new Map<string, string>();
  for (const line of shipped.split('\n')) {
    if (!line.startsWith('readonly ') || line.startsWith('readonly -')) continue;
    for (const [, name, value] of line.replace(/\s+#.*$/, '').matchAll(/([A-Z][A-Z0-9_]*)=("[^"]*"|[^\s"$(]+)/g)) {
      constants.set(name as string, (value as string).replace(/^"|"$/g, ''));
    }
  }
  return constants;
}

/** The `-v NAME=value` arguments the agent passes its plan program (PLAN_AWK_VARS), values resolved. */
export function planProgramVariables(): string[] {
  const declaration = /readonly -a PLAN_AWK_VARS=\(([^)]*)\)/.exec(shipped)?.[1];
  if (declaration === undefined) throw new Error('the agent declares no PLAN_AWK_VARS');
  const constants = agentConstants();
  return [...declaration.matchAll(/-v ([A-Z]+)="\$([A-Z_]+)"/g)].flatMap(([, name, constant]) => {
    const value = constants.get(constant as string);
    if (value === undefined) throw new Error(`PLAN_AWK_VARS names ${constant}, which the agent does not declare`);
    return ['-v', `${name}=${value}`];
  });
}

/** The awks the agent meets: mawk (Debian, Ubuntu) and gawk (Amazon Linux, RHEL), those installed here. */
export function installedAwks(): string[] {
  return ['mawk', 'gawk'].filter((awk) => spawnSync(awk, ['-W', 'version'], { stdio: 'ignore' }).status === 0 || spawnSync(awk, ['--version'], { stdio: 'ignore' }).status === 0);
}

/** The agent's validator on one plan text: "OK" or "REFUSE <line> <reason>". */
export function validateWithAwk(awk: string, planText: string): string {
  const run = spawnSync(awk, [...planProgramVariables(), '-v', 'MODE=validate', '-f', join(AWK_DIR, 'plan-grammar.awk'), '-f', join(AWK_DIR, 'plan.awk')], {
    input: `==plan\n${planText}`,
    encoding: 'utf8',
    timeout: 10_000,
  });
  if (run.status !== 0) throw new Error(`${awk} failed: ${run.stderr}`);
  return run.stdout.trim();
}
