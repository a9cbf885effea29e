import { bundledFunction } from './bundled-function';
import { expectPowertoolsJson } from './bundled-output';
import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { actionsOf, type CloudFormationTemplate, resource, resourcesOfType, roleStatements } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);
const audit = bundledFunction('audit');

const rulesOfAudit = () => resourcesOfType(template, 'AWS::Events::Rule').filter(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('AuditLambdaFunction'));
const resourcesAllowed = (action: string): unknown[] =>
  roleStatements(template, 'AuditRole')
    .map(({ statement }) => statement)
    .filter((statement) => statement.Effect === 'Allow' && actionsOf(statement).includes(action))
    .flatMap((statement) => [statement.Resource].flat());

describe('the audit function (packaged template)', () => {
  it('is started by an ENI PBR Audit Requested custom event on the default bus', () => {
    const patterns = rulesOfAudit().map(([, rule]) => rule.Properties);
    expect(patterns).toContainEqual(expect.objectContaining({ State: 'ENABLED', EventPattern: { source: ['eni-pbr'], 'detail-type': ['ENI PBR Audit Requested'] } }));
    for (const rule of patterns) expect(rule.EventBusName).toBeUndefined();
  });

  it('has a schedule, off by default, whose input is a check request', () => {
    const [schedule] = rulesOfAudit().filter(([, rule]) => rule.Properties.ScheduleExpression !== undefined);
    expect(schedule?.[1].Properties).toMatchObject({ ScheduleExpression: 'rate(1 day)', State: 'DISABLED', Targets: [expect.objectContaining({ Input: '{"mode":"check"}' })] });
  });

  it('runs once per start (no async retry), for up to 600 s with 1,024 MB, with its own role and the audit settings', () => {
    const fn = resource(template, 'AuditLambdaFunction', 'AWS::Lambda::Function').Properties;
    expect(fn).toMatchObject({ Timeout: 600, MemorySize: 1024, Role: { 'Fn::GetAtt': ['AuditRole', 'Arn'] } });
    const invokeConfig = resourcesOfType(template, 'AWS::Lambda::EventInvokeConfig').find(([, config]) => JSON.stringify(config.Properties).includes('AuditLambdaFunction'));
    expect(invokeConfig?.[1].Properties.MaximumRetryAttempts).toBe(0);
    expect(Object.keys((fn.Environment as { Variables: object }).Variables)).toEqual(expect.arrayContaining([
      'ENI_PBR_QUEUE_URL', 'ENI_PBR_DOCUMENT_NAME', 'ENI_PBR_DOCUMENT_VERSION', 'ENI_PBR_COMMAND_LOG_GROUP', 'ENI_PBR_EVENT_BUS_NAME', 'ENI_PBR_MODE', 'ENI_PBR_MANAGED_TAG_MODE', 'ENI_PBR_COMMAND_TIMEOUT_SECONDS',
    ]));
  });

  it('reads command output only from the document\'s log group, sends only the document to instances, enqueues only on the remediation queue', () => {
    expect(resourcesAllowed('logs:FilterLogEvents')).toEqual([{ 'Fn::GetAtt': ['AgentOutputLogGroup', 'Arn'] }]);
    expect(resourcesAllowed('ssm:SendCommand')).toEqual([
      { 'Fn::Sub': 'arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:document/${AgentDocument}' },
      { 'Fn::Sub': 'arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*' },
    ]);
    expect(resourcesAllowed('sqs:SendMessage')).toEqual([{ 'Fn::GetAtt': ['RemediationQueue', 'Arn'] }]);
    for (const { statement } of roleStatements(template, 'AuditRole')) for (const action of actionsOf(statement)) expect(action).not.toMatch(/\*/);
  });
});

describe('the packaged audit (bundled zip, Node 22)', () => {
  it('refuses a bad request with a clear error and calls nothing', async () => {
    const output = await audit.invoke({ mode: 'check', instanceIds: ['i-$(reboot)'] }, {});

    expect(output.outcome).toMatchObject({ ok: false, error: { name: 'InvalidAuditRequestError', message: expect.stringContaining('instanceIds.0: not an EC2 instance id') } });
    expect(output.calls).toEqual([]);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.find((entry) => entry.message === 'audit request refused')).toMatchObject({ level: 'ERROR' });
  });

  it('audits a named instance EC2 no longer knows: skipped, published, returned', async () => {
    const responders = {
      'ec2:DescribeNetworkInterfaces': () => '<DescribeNetworkInterfacesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>8f7724cf-496f-496e-8fe3-example</requestId><networkInterfaceSet/></DescribeNetworkInterfacesResponse>',
      'events:PutEvents': () => ({ FailedEntryCount: 0, Entries: [{ EventId: 'a' }, { EventId: 'b' }] }),
    };
    const event = { source: 'eni-pbr', 'detail-type': 'ENI PBR Audit Requested', detail: { mode: 'check', instanceIds: ['i-0f1e2d3c4b5a69788'] } };

    const output = await audit.invoke(event, responders);

    expect(output.outcome).toMatchObject({ ok: true, result: { mode: 'check', summary: { total: 1, skipped: 1 }, instances: [{ instanceId: 'i-0f1e2d3c4b5a69788', status: 'skipped' }] } });
    expect(output.calls.map((call) => `${call.service}:${call.operation}`)).toEqual(['ec2:DescribeNetworkInterfaces', 'events:PutEvents']);
    const entries = (output.calls[1]?.input.Entries ?? []) as Record<string, unknown>[];
    expect(entries.map((entry) => entry.DetailType)).toEqual(['ENI PBR Audit Result', 'ENI PBR Audit Result']);
    const { logs } = expectPowertoolsJson(output);
    expect(logs.find((entry) => entry.message === 'audit summary')).toMatchObject({ total: 1, skipped: 1 });
  });
});
