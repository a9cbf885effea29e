import { AGENT_HEREDOC_TERMINATOR, AGENT_TIMEOUT_SECONDS, type AgentDocument } from './agent-document';
import { PLAN_ALLOWED_PATTERN } from './plan-parameter-pattern';

export class AgentTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AgentTextError';
  }
}

/**
 * runShellScript runs its lines with `sh`, so the document writes the agent to a private temp file
 * through a quoted heredoc (no expansion inside) and hands it to bash. The two `if` lines are the
 * documented fallback for SSM Agents older than 3.3.2746.0, which ignore interpolationType and paste
 * the values into the text: allowedValues / allowedPattern keep what they can paste inert.
 */
export function buildAgentDocument(agentText: string): AgentDocument {
  assertEmbeddable(agentText);
  const agentLines = agentText.replace(/\n$/, '').split('\n');
  const runCommand = [
    '#!/bin/sh',
    'if [ -z "${SSM_Mode+x}" ]; then export SSM_Mode="{{ Mode }}"; fi',
    'if [ -z "${SSM_Plan+x}" ]; then export SSM_Plan="{{ Plan }}"; fi',
    'eni_pbr_agent="$(mktemp "${TMPDIR:-/tmp}/eni-pbr-agent.XXXXXXXX")" || exit 7',
    "trap 'rm -f \"$eni_pbr_agent\"' EXIT",
    // a signal must end the wrapper (sh would run the trap and carry on), and EXIT then cleans up
    "trap 'exit 143' HUP INT TERM",
    // a full TMPDIR cuts the copy short: never run a truncated agent as root
    `cat > "$eni_pbr_agent" <<'${AGENT_HEREDOC_TERMINATOR}' || exit 7`,
    ...agentLines,
    AGENT_HEREDOC_TERMINATOR,
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

/** Extracts the embedded agent back out of a document, byte for byte. */
export function extractAgentText(document: AgentDocument): string {
  const lines = document.mainSteps[0].inputs.runCommand;
  const start = lines.findIndex((line) => line.includes(`<<'${AGENT_HEREDOC_TERMINATOR}'`));
  const end = lines.indexOf(AGENT_HEREDOC_TERMINATOR);
  if (start < 0 || end <= start) throw new AgentTextError('document carries no agent heredoc');
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

function assertEmbeddable(agentText: string): void {
  // SSM interpolates {{ name }} (and {{ssm:...}}) anywhere in runCommand, heredoc or not.
  if (agentText.includes('{{')) throw new AgentTextError('agent text contains "{{", which SSM would interpolate');
  if (agentText.split('\n').includes(AGENT_HEREDOC_TERMINATOR)) {
    throw new AgentTextError('agent text contains the heredoc terminator line');
  }
  if (agentText.includes('\r')) throw new AgentTextError('agent text contains carriage returns');
}
