/**
 * SSM counts the document and the runtime parameters against one 64 KB quota. The largest instance's
 * plan must fit beside the document; a plan past it must be refused, with both sizes named, before any
 * command runs: by encodePlanParameter (the use case's path), by the local runner (the quota itself), and
 * by the document's allowedPattern (what SSM and the SSM Agent check).
 */
import { runDocumentLocally } from '../../functions/adapters/local-runner/run-document-locally';
import { ParameterValidationError } from '../../functions/adapters/local-runner/substitute-parameters';
import { loadAgentDocument } from '../../functions/adapters/local-runner/load-agent-document';
import { encodePlanParameter, PlanParameterTooLargeError } from '../../functions/agent-protocol/encode-plan-parameter';
import { CommandTooLargeError, PLAN_PARAMETER_MAX_CHARS, SSM_DOCUMENT_QUOTA_BYTES, assertCommandFitsQuota } from '../../functions/agent-protocol/ssm-size-budget';
import { beyondLargestPlanText, largestPlanText } from './largest-plan';

const document = loadAgentDocument();
const documentBytes = Buffer.byteLength(JSON.stringify(document));

describe('the largest instance against SSM\'s 64 KB', () => {
  it('fits: 15 ENIs × 50 IPv4 (4 of them /28 prefixes) + 50 IPv6 each, beside the document', () => {
    const plan = encodePlanParameter(largestPlanText());

    expect(documentBytes + 'apply'.length + plan.length).toBeLessThanOrEqual(SSM_DOCUMENT_QUOTA_BYTES);
    expect(() => assertCommandFitsQuota(documentBytes, { Mode: 'apply', Plan: plan })).not.toThrow();
    expect(new RegExp(document.parameters.Plan.allowedPattern ?? '$^').test(plan)).toBe(true);
  });

  it('refuses a plan past it before anything is sent, naming its size and the bound', () => {
    const attempt = (): string => encodePlanParameter(beyondLargestPlanText());

    expect(attempt).toThrow(PlanParameterTooLargeError);
    expect(attempt).toThrow(`the Plan parameter takes at most ${PLAN_PARAMETER_MAX_CHARS}`);
  });
});

describe('runDocumentLocally refuses what SSM would refuse, before running anything', () => {
  // a namespace that does not exist: had anything run, the result would be a failed command, not a throw
  const netns = 'eni-pbr-never-created';

  it('a Plan longer than the allowedPattern takes', async () => {
    const plan = 'QUJD'.repeat(PLAN_PARAMETER_MAX_CHARS / 4 + 1);

    await expect(runDocumentLocally({ netns, parameters: { Mode: 'apply', Plan: plan }, document })).rejects.toThrow(ParameterValidationError);
  });

  it('a document and parameters past the quota, with both sizes in the error', async () => {
    const padded = { ...document, description: `${document.description} ${'.'.repeat(SSM_DOCUMENT_QUOTA_BYTES - documentBytes - 100)}` };
    const plan = 'QUJD'.repeat(100);
    const run = runDocumentLocally({ netns, parameters: { Mode: 'apply', Plan: plan }, document: padded });

    await expect(run).rejects.toThrow(CommandTooLargeError);
    await expect(run).rejects.toThrow(`document ${SSM_DOCUMENT_QUOTA_BYTES - 99} bytes + parameters ${'apply'.length + plan.length} bytes`);
  });
});
