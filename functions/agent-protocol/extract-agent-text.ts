import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { AGENT_HEREDOC_TERMINATOR, type AgentDocument } from './agent-document';
import { AgentTextError } from './agent-text-error';

/** Past this the payload is not the agent: refuse instead of inflating a gzip bomb. */
const MAX_AGENT_BYTES = 4 * 1024 * 1024;

/**
 * The agent a document carries, decoded and checked against the sha256 its wrapper names: what an
 * instance runs (the tests run exactly this; `npm run read-agent` prints it from a deployed document).
 */
export function extractAgentText(document: AgentDocument): string {
  const lines = document.mainSteps[0].inputs.runCommand;
  const start = lines.findIndex((line) => line.endsWith(`<<'${AGENT_HEREDOC_TERMINATOR}' | gzip -dc`));
  const end = lines.indexOf(AGENT_HEREDOC_TERMINATOR);
  const named = lines.map((line) => /^eni_pbr_sha256=([0-9a-f]{64})$/.exec(line)?.[1]).find((hex) => hex !== undefined);
  if (start < 0 || end <= start || named === undefined) throw new AgentTextError('document carries no agent payload');
  let text: string;
  try {
    text = gunzipSync(Buffer.from(lines.slice(start + 1, end).join(''), 'base64'), { maxOutputLength: MAX_AGENT_BYTES }).toString('utf8');
  } catch (cause) {
    throw new AgentTextError(`the agent payload does not inflate: ${(cause as Error).message}`);
  }
  if (createHash('sha256').update(text, 'utf8').digest('hex') !== named) throw new AgentTextError('the agent payload differs from the sha256 its wrapper names');
  return text;
}
