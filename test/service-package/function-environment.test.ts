import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { type CloudFormationTemplate, resource } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

const variables = (id: string) =>
  (resource(template, id, 'AWS::Lambda::Function').Properties.Environment as { Variables: Record<string, unknown> }).Variables;
const powertools = { POWERTOOLS_SERVICE_NAME: 'eni-pbr', POWERTOOLS_METRICS_NAMESPACE: 'EniPbr', POWERTOOLS_LOG_LEVEL: 'INFO' };

describe('function environments (packaged template; names fixed by CONTRACT.md)', () => {
  it('give intake its queue and table, nothing else', () => {
    expect(variables('IntakeLambdaFunction')).toEqual({
      ...powertools,
      ENI_PBR_QUEUE_URL: { Ref: 'RemediationQueue' },
      ENI_PBR_ATTACHMENTS_TABLE: { Ref: 'AttachmentsTable' },
    });
  });

  it('give remediate every setting, at the documented defaults', () => {
    expect(variables('RemediateLambdaFunction')).toEqual({
      ...powertools,
      ENI_PBR_ATTACHMENTS_TABLE: { Ref: 'AttachmentsTable' },
      ENI_PBR_DOCUMENT_NAME: { Ref: 'AgentDocument' },
      ENI_PBR_DOCUMENT_VERSION: '$DEFAULT',
      ENI_PBR_COMMAND_LOG_GROUP: { Ref: 'AgentOutputLogGroup' },
      ENI_PBR_EVENT_BUS_NAME: 'default',
      ENI_PBR_MODE: 'fix',
      ENI_PBR_MANAGED_TAG_MODE: 'opt-out',
      ENI_PBR_PENDING_REMOVALS_TABLE: { Ref: 'PendingRemovalsTable' },
      ENI_PBR_DISABLE_SOURCE_DEST_CHECK: 'false',
      ENI_PBR_MANAGE_PRIMARY: 'false',
      ENI_PBR_CONNMARK: 'auto',
      ENI_PBR_AGENT_WAIT_SECONDS: '60',
      ENI_PBR_COMMAND_TIMEOUT_SECONDS: '150',
    });
  });
});
