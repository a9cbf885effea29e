import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { actionsOf, type CloudFormationTemplate, type PolicyStatement, resource, roleStatements } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

const allows = (roleId: string, action: string): PolicyStatement[] =>
  roleStatements(template, roleId)
    .map(({ statement }) => statement)
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action));
const resourcesAllowed = (roleId: string, action: string): unknown[] => allows(roleId, action).flatMap((statement) => [statement.Resource].flat());
const sub = (text: string) => ({ 'Fn::Sub': text });

/** Actions that take no resource ARN (Service Authorization Reference): the only ones granted on `*`. */
const WITHOUT_RESOURCE_ARN = new Set([
  'ec2:DescribeNetworkInterfaces', 'ec2:DescribeSubnets', 'ec2:DescribeInstances',
  'ssm:DescribeInstanceInformation', 'ssm:GetCommandInvocation', 'ssm:CancelCommand',
  'xray:PutTraceSegments', 'xray:PutTelemetryRecords',
]);

describe.each(['IntakeRole', 'RemediateRole'])('%s (packaged template)', (roleId) => {
  it('grants no wildcard action and `*` resources only to calls that take no resource ARN', () => {
    for (const { statement } of roleStatements(template, roleId)) {
      for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
      if (statement.Resource === '*') for (const action of actionsOf(statement)) expect(WITHOUT_RESOURCE_ARN).toContain(action);
    }
  });

  it('holds every `*` grant to the stack\'s Region', () => {
    for (const { statement } of roleStatements(template, roleId)) {
      if (statement.Resource !== '*' || actionsOf(statement).every((action) => action.startsWith('xray:'))) continue;
      expect(statement.Condition).toEqual({ StringEquals: { 'aws:RequestedRegion': { Ref: 'AWS::Region' } } });
    }
  });

  it('writes only its own function\'s logs', () => {
    const fn = roleId === 'IntakeRole' ? 'intake' : 'remediate';
    expect(resourcesAllowed(roleId, 'logs:PutLogEvents')).toEqual([
      sub(`arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/eni-pbr-test-${fn}:*`),
    ]);
  });
});

describe('per-function roles (packaged template)', () => {
  it('give each function its own role and leave no shared default role', () => {
    expect(resource(template, 'IntakeLambdaFunction', 'AWS::Lambda::Function').Properties.Role).toEqual({ 'Fn::GetAtt': ['IntakeRole', 'Arn'] });
    expect(resource(template, 'RemediateLambdaFunction', 'AWS::Lambda::Function').Properties.Role).toEqual({ 'Fn::GetAtt': ['RemediateRole', 'Arn'] });
    expect(template.Resources.IamRoleLambdaExecution).toBeUndefined();
  });

  it('let only remediate run commands: on the project\'s document and on instances, never `*`', () => {
    expect(resourcesAllowed('IntakeRole', 'ssm:SendCommand')).toEqual([]);
    expect(resourcesAllowed('RemediateRole', 'ssm:SendCommand')).toEqual([
      sub('arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:document/${AgentDocument}'),
      sub('arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*'),
    ]);
  });

  it('let intake send only to the remediation queue (and Lambda deliver its failed events)', () => {
    expect(resourcesAllowed('IntakeRole', 'sqs:SendMessage')).toEqual([
      { 'Fn::GetAtt': ['IntakeFailedEventsQueue', 'Arn'] },
      { 'Fn::GetAtt': ['RemediationQueue', 'Arn'] },
    ]);
    expect(resourcesAllowed('RemediateRole', 'sqs:SendMessage')).toEqual([]);
  });

  it('let remediate consume only the remediation queue', () => {
    for (const action of ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes']) {
      expect(resourcesAllowed('RemediateRole', action)).toEqual([{ 'Fn::GetAtt': ['RemediationQueue', 'Arn'] }]);
    }
  });

  it('reach only the attachments table, and remediate the pending-removals table', () => {
    for (const [roleId, action] of [['IntakeRole', 'dynamodb:GetItem'], ['IntakeRole', 'dynamodb:PutItem']] as const) {
      expect(resourcesAllowed(roleId, action)).toEqual([{ 'Fn::GetAtt': ['AttachmentsTable', 'Arn'] }]);
    }
    expect(resourcesAllowed('RemediateRole', 'dynamodb:PutItem')).toEqual([{ 'Fn::GetAtt': ['AttachmentsTable', 'Arn'] }, { 'Fn::GetAtt': ['PendingRemovalsTable', 'Arn'] }]);
    for (const action of ['dynamodb:GetItem', 'dynamodb:DeleteItem']) {
      expect(resourcesAllowed('RemediateRole', action)).toEqual([{ 'Fn::GetAtt': ['PendingRemovalsTable', 'Arn'] }]);
    }
    expect(resourcesAllowed('IntakeRole', 'dynamodb:DeleteItem')).toEqual([]);
  });

  it('let remediate publish only eni-pbr events, only on the configured bus', () => {
    expect(allows('RemediateRole', 'events:PutEvents')).toEqual([
      expect.objectContaining({
        Resource: sub('arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:event-bus/default'),
        Condition: { StringEquals: { 'events:source': 'eni-pbr' } },
      }),
    ]);
  });

  it('grant ModifyNetworkInterfaceAttribute only through the source/dest option\'s condition, off by default', () => {
    const grants = roleStatements(template, 'RemediateRole').filter(({ statement }) => actionsOf(statement).includes('ec2:ModifyNetworkInterfaceAttribute'));
    expect(grants).toEqual([
      {
        condition: 'SourceDestCheckOption',
        statement: expect.objectContaining({
          Resource: sub('arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:network-interface/*'),
        }),
      },
    ]);
    expect(allows('IntakeRole', 'ec2:ModifyNetworkInterfaceAttribute')).toEqual([]);
    expect(template.Conditions?.SourceDestCheckOption).toEqual({ 'Fn::Equals': ['false', 'true'] });
    const { Variables } = resource(template, 'RemediateLambdaFunction', 'AWS::Lambda::Function').Properties.Environment as { Variables: Record<string, unknown> };
    expect(Variables.ENI_PBR_DISABLE_SOURCE_DEST_CHECK).toBe('false');
  });
});
