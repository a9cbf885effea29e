import { ConfigError } from '../../functions/commons/config-error';
import { parseIntakeConfig, parseRemediateConfig } from '../../functions/commons/config';

const remediateEnv = { AWS_REGION: 'us-east-1', ENI_PBR_ATTACHMENTS_TABLE: 't', ENI_PBR_PENDING_REMOVALS_TABLE: 'p', ENI_PBR_DOCUMENT_NAME: 'eni-pbr-agent', ENI_PBR_COMMAND_LOG_GROUP: '/eni-pbr/commands' };

describe('config', () => {
  it('applies the documented defaults', () => {
    expect(parseRemediateConfig(remediateEnv)).toEqual({
      ...remediateEnv,
      ENI_PBR_DOCUMENT_VERSION: '$DEFAULT',
      ENI_PBR_EVENT_BUS_NAME: 'default',
      ENI_PBR_MODE: 'fix',
      ENI_PBR_MANAGED_TAG_MODE: 'opt-out',
      ENI_PBR_DISABLE_SOURCE_DEST_CHECK: false,
      ENI_PBR_MANAGE_PRIMARY: false,
      ENI_PBR_CONNMARK: 'auto',
      ENI_PBR_AGENT_WAIT_SECONDS: 60,
      ENI_PBR_COMMAND_TIMEOUT_SECONDS: 150,
    });
  });

  it.each([
    ['ENI_PBR_DOCUMENT_NAME', undefined, 'setting ENI_PBR_DOCUMENT_NAME is missing'],
    ['ENI_PBR_MODE', 'apply', 'setting ENI_PBR_MODE is malformed'],
    ['ENI_PBR_DOCUMENT_VERSION', 'latest', 'setting ENI_PBR_DOCUMENT_VERSION is malformed'],
    ['ENI_PBR_DISABLE_SOURCE_DEST_CHECK', 'yes', 'setting ENI_PBR_DISABLE_SOURCE_DEST_CHECK is malformed'],
    ['ENI_PBR_COMMAND_TIMEOUT_SECONDS', '5', 'setting ENI_PBR_COMMAND_TIMEOUT_SECONDS is malformed'],
    ['ENI_PBR_AGENT_WAIT_SECONDS', 'soon', 'setting ENI_PBR_AGENT_WAIT_SECONDS is malformed'],
  ])('names %s when it is %s', (variable, value, message) => {
    const attempt = () => parseRemediateConfig({ ...remediateEnv, [variable]: value });

    expect(attempt).toThrow(ConfigError);
    expect(attempt).toThrow(message);
  });

  it('names the intake queue URL when it is not a URL', () => {
    expect(() => parseIntakeConfig({ AWS_REGION: 'us-east-1', ENI_PBR_ATTACHMENTS_TABLE: 't', ENI_PBR_QUEUE_URL: 'queue' })).toThrow('setting ENI_PBR_QUEUE_URL is malformed');
  });
});
