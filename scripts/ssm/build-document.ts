// `npm run build:document`: assembles the agent from scripts/agent/ and regenerates ssm/eni-pbr-agent.json.
// `npm run build:document -- --print-agent [--timing] [--faults]` prints the assembled agent instead (shellcheck,
// the bench).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAgentDocument } from '../../functions/agent-protocol/build-agent-document';
import { AGENT_DOCUMENT_MAX_BYTES } from '../../functions/agent-protocol/ssm-size-budget';
import { assembleAgent } from './assemble-agent';

const args = process.argv.slice(2);
const agentText = assembleAgent({ timing: args.includes('--timing'), faults: args.includes('--faults') });
if (args.includes('--print-agent')) {
  process.stdout.write(agentText);
} else {
  const document = buildAgentDocument(agentText);
  const target = join(__dirname, '..', '..', 'ssm', 'eni-pbr-agent.json');
  // Compact: SSM counts every byte of the document against its 64 KB, and indentation is bytes.
  const text = `${JSON.stringify(document)}\n`;
  // the rest of SSM's 64 KB quota is the plan's (functions/agent-protocol/ssm-size-budget.ts)
  if (Buffer.byteLength(text) > AGENT_DOCUMENT_MAX_BYTES) {
    throw new Error(`the document would take ${Buffer.byteLength(text)} bytes; its share of SSM's quota is ${AGENT_DOCUMENT_MAX_BYTES}`);
  }
  writeFileSync(target, text);
  console.error(`wrote ${target} (${Buffer.byteLength(text)} bytes)`);
}
