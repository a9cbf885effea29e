// `npm run build:document`: regenerates ssm/eni-pbr-agent.json from scripts/agent/eni-pbr-agent.sh.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAgentDocument } from '../../functions/agent-protocol/build-agent-document';

const root = join(__dirname, '..', '..');
const agentText = readFileSync(join(root, 'scripts', 'agent', 'eni-pbr-agent.sh'), 'utf8');
const document = buildAgentDocument(agentText);
const target = join(root, 'ssm', 'eni-pbr-agent.json');
// Compact: SSM allows 64 KB of document content, and indentation would spend ~6 KB of it on spaces.
writeFileSync(target, `${JSON.stringify(document)}\n`);
console.error(`wrote ${target} (${JSON.stringify(document).length} characters)`);
