import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { type CloudFormationTemplate, resource, resourcesOfType } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

describe('the agent document (packaged template)', () => {
  it('is the document the tests run, deep-equal to ssm/eni-pbr-agent.json', () => {
    const built: unknown = JSON.parse(readFileSync(join(__dirname, '..', '..', 'ssm', 'eni-pbr-agent.json'), 'utf8'));
    expect(resource(template, 'AgentDocument', 'AWS::SSM::Document').Properties.Content).toEqual(built);
  });

  it('keeps the agent\'s bash untouched (no Serverless variable resolved inside it)', () => {
    const content = JSON.stringify(resource(template, 'AgentDocument', 'AWS::SSM::Document').Properties.Content);
    expect(content).toContain('${');
  });

  it('is one named Command document per stage, updated by adding a version (a command in flight keeps its own)', () => {
    expect(resourcesOfType(template, 'AWS::SSM::Document')).toHaveLength(1);
    expect(resource(template, 'AgentDocument', 'AWS::SSM::Document').Properties).toMatchObject({
      Name: 'eni-pbr-agent-test',
      DocumentType: 'Command',
      DocumentFormat: 'JSON',
      TargetType: '/AWS::EC2::Instance',
      UpdateMethod: 'NewVersion',
    });
  });

  it('is what remediate sends, at the version it names, with its output in a log group the stack owns', () => {
    const { Variables } = resource(template, 'RemediateLambdaFunction', 'AWS::Lambda::Function').Properties.Environment as {
      Variables: Record<string, unknown>;
    };
    expect(Variables.ENI_PBR_DOCUMENT_NAME).toEqual({ Ref: 'AgentDocument' });
    expect(Variables.ENI_PBR_DOCUMENT_VERSION).toBe('$DEFAULT');
    expect(Variables.ENI_PBR_COMMAND_LOG_GROUP).toEqual({ Ref: 'AgentOutputLogGroup' });
    expect(resource(template, 'AgentOutputLogGroup', 'AWS::Logs::LogGroup').Properties).toEqual({
      LogGroupName: '/eni-pbr/test/agent-output',
      RetentionInDays: 30,
    });
  });

  it('offers the instances a policy to write that output, scoped to that log group', () => {
    const policy = resource(template, 'AgentOutputInstancePolicy', 'AWS::IAM::ManagedPolicy').Properties.PolicyDocument as {
      Statement: { Action: string[] | string; Resource: unknown }[];
    };
    const write = policy.Statement.find((statement) => statement.Action.includes('logs:PutLogEvents'));
    expect(JSON.stringify(write?.Resource)).toContain('log-group:${AgentOutputLogGroup}:*');
  });
});
