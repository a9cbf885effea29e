// `npm run -s read-agent -- <document.json | ->`: prints the agent an SSM document carries, decoded and
// checked against the sha256 its wrapper names (exit 1 when it does not match). The document is the
// JSON `aws ssm get-document --query Content --output text` prints, or ssm/eni-pbr-agent.json.
import { readFileSync } from 'node:fs';
import type { AgentDocument } from '../../functions/agent-protocol/agent-document';
import { extractAgentText } from '../../functions/agent-protocol/extract-agent-text';

const source = process.argv[2] ?? '-';
try {
  const document = JSON.parse(readFileSync(source === '-' ? 0 : source, 'utf8')) as AgentDocument;
  process.stdout.write(extractAgentText(document));
} catch (error) {
  console.error(`read-agent: ${(error as Error).message}`);
  process.exit(1);
}
