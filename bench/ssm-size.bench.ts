// SSM counts the document and the runtime parameters against one 64 KB quota (ssm-size-budget.ts).
// Prints what the committed document takes, what the plans of the largest instance take encoded, and the
// margin left under the quota: figures only (the tests in test/agent-protocol assert the bounds).
import { gzipSync } from 'node:zlib';
import { loadAgentDocument } from '../functions/adapters/local-runner/load-agent-document';
import { encodePlanParameter } from '../functions/agent-protocol/encode-plan-parameter';
import { extractAgentText } from '../functions/agent-protocol/extract-agent-text';
import { AGENT_DOCUMENT_MAX_BYTES, PLAN_PARAMETER_MAX_CHARS, SSM_DOCUMENT_QUOTA_BYTES } from '../functions/agent-protocol/ssm-size-budget';
import { largestPlanText } from '../test/agent-protocol/largest-plan';
import { largestInstancePlanText } from './largest-instance-plan';

const document = loadAgentDocument();
const documentBytes = Buffer.byteLength(JSON.stringify(document));
const agent = extractAgentText(document);

console.log(
  `document: ${documentBytes} bytes (its share of the quota: ${AGENT_DOCUMENT_MAX_BYTES}); the agent in it: ` +
    `${Buffer.byteLength(agent)} bytes of bash, ${gzipSync(agent, { level: 9 }).length} gzipped`,
);
for (const [name, text] of [
  ['15 ENIs x 50 IPv4 (the agent-apply bench plan)', largestInstancePlanText()],
  ['15 ENIs x (50 IPv4 incl. 4 /28 prefixes + 50 IPv6), a rule per address', largestPlanText()],
] as const) {
  const plan = encodePlanParameter(text);
  const total = documentBytes + 'apply'.length + plan.length;
  console.log(
    `${name}: ${text.split('\n').length - 2} lines, Plan ${plan.length} chars (bound ${PLAN_PARAMETER_MAX_CHARS}); ` +
      `document + parameters ${total} bytes: margin ${SSM_DOCUMENT_QUOTA_BYTES - total} bytes under ${SSM_DOCUMENT_QUOTA_BYTES}`,
  );
}
