import { createHash } from 'node:crypto';
import { gzip } from 'pako';
import { AGENT_HEREDOC_TERMINATOR, AGENT_TIMEOUT_SECONDS, EXIT_PAYLOAD_CORRUPT, PAYLOAD_LINE_CHARS, type AgentDocument } from './agent-document';
import { AgentTextError } from './agent-text-error';
import { PLAN_ALLOWED_PATTERN } from './plan-parameter-pattern';

export { AgentTextError } from './agent-text-error';
export { extractAgentText } from './extract-agent-text';

/**
 * runShellScript runs its lines with `sh`. The agent travels as gzip+base64 (a third of its size: SSM
 * counts the document and the runtime parameters against one 64 KB quota) inside a quoted heredoc; the
 * wrapper decodes it, checks its sha256 before anything touches the disk (exit 8 when the payload is
 * truncated or corrupt), writes it to a private temp file (exit 7 when that write fails or comes out
 * short: never run a cut script as root) and hands it to bash. The two `if` lines are the documented
 * fallback for SSM Agents older than 3.3.2746.0, which ignore interpolationType and paste the values
 * into the text: allowedValues / allowedPattern keep what they can paste inert.
 */
export function buildAgentDocument(agentText: string): AgentDocument {
  assertEmbeddable(agentText);
  const sha256 = createHash('sha256').update(agentText, 'utf8').digest('hex');
  // pako, not node:zlib: pure JavaScript compresses to the same bytes on every CPU and Node version,
  // so CI can rebuild the committed document byte for byte.
  const payload = Buffer.from(gzip(Buffer.from(agentText, 'utf8'), { level: 9 })).toString('base64');
  const runCommand = [
    '#!/bin/sh',
    'if [ -z "${SSM_Mode+x}" ]; then export SSM_Mode="{{ Mode }}"; fi',
    'if [ -z "${SSM_Plan+x}" ]; then export SSM_Plan="{{ Plan }}"; fi',
    '# The eni-pbr agent (bash) follows as gzip+base64; README.md, "Read the agent", says how to read it.',
    `eni_pbr_sha256=${sha256}`,
    `eni_pbr_script="$(base64 -d <<'${AGENT_HEREDOC_TERMINATOR}' | gzip -dc`,
    ...chunk(payload, PAYLOAD_LINE_CHARS),
    AGENT_HEREDOC_TERMINATOR,
    ')" || eni_pbr_script=""',
    // $(…) dropped the script's one final newline; printf puts it back
    `if [ "$(printf '%s\\n' "$eni_pbr_script" | sha256sum)" != "$eni_pbr_sha256  -" ]; then`,
    `  echo "eni-pbr: the embedded agent is truncated or corrupt (sha256 differs); nothing ran" >&2; exit ${EXIT_PAYLOAD_CORRUPT}`,
    'fi',
    'eni_pbr_agent="$(mktemp "${TMPDIR:-/tmp}/eni-pbr-agent.XXXXXXXX")" || exit 7',
    "trap 'rm -f \"$eni_pbr_agent\"' EXIT",
    // a signal must end the wrapper (sh would run the trap and carry on), and EXIT then cleans up
    "trap 'exit 143' HUP INT TERM",
    // a full TMPDIR cuts the copy short: never run a truncated agent as root
    `printf '%s\\n' "$eni_pbr_script" > "$eni_pbr_agent" || exit 7`,
    '[ "$(sha256sum < "$eni_pbr_agent")" = "$eni_pbr_sha256  -" ] || exit 7',
    'eni_pbr_rc=0',
    'bash "$eni_pbr_agent" "$SSM_Mode" || eni_pbr_rc=$?',
    'exit "$eni_pbr_rc"',
  ];
  return {
    schemaVersion: '2.2',
    description: 'eni-pbr agent: inspect the host routing state, or apply a policy-routing plan (docs/agent-protocol.md).',
    parameters: {
      Mode: {
        type: 'String',
        description: 'inspect prints the host state as JSON; apply applies Plan.',
        default: 'inspect',
        interpolationType: 'ENV_VAR',
        allowedValues: ['inspect', 'apply'],
      },
      Plan: {
        type: 'String',
        description: 'base64(gzip(plan text)); empty for inspect.',
        default: '',
        interpolationType: 'ENV_VAR',
        allowedPattern: PLAN_ALLOWED_PATTERN,
      },
    },
    mainSteps: [
      {
        action: 'aws:runShellScript',
        name: 'eniPbrAgent',
        precondition: { StringEquals: ['platformType', 'Linux'] },
        inputs: { timeoutSeconds: String(AGENT_TIMEOUT_SECONDS), runCommand },
      },
    ],
  };
}

function chunk(text: string, size: number): string[] {
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += size) lines.push(text.slice(at, at + size));
  return lines;
}

function assertEmbeddable(agentText: string): void {
  // $(…) keeps no trailing newline and sh variables no NUL: the script must survive the round trip
  if (!agentText.endsWith('\n') || agentText.endsWith('\n\n')) throw new AgentTextError('agent text must end with exactly one newline');
  if (agentText.includes('\0')) throw new AgentTextError('agent text contains a NUL byte');
  if (agentText.includes('\r')) throw new AgentTextError('agent text contains carriage returns');
}
