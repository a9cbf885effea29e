import { PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';
import { type CloudFormationTemplate, resource, resourcesOfType } from './template';

let template: CloudFormationTemplate;
beforeAll(async () => {
  ({ template } = await packagedService());
}, PACKAGING_TIMEOUT_MS);

const alarm = (id: string) => resource(template, id, 'AWS::CloudWatch::Alarm').Properties;

describe('alarms (packaged template)', () => {
  it.each([
    ['RemediationDeadLetterAlarm', 'RemediationDeadLetterQueue'],
    ['IntakeFailedEventsAlarm', 'IntakeFailedEventsQueue'],
  ])('%s fires on the first message in %s', (alarmId, queueId) => {
    expect(alarm(alarmId)).toMatchObject({
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });

  it('fire on any failed or unreachable instance, from the remediate metrics', () => {
    const metrics = alarm('RemediationFailuresAlarm').Metrics as { MetricStat?: { Metric: { Namespace: string; MetricName: string; Dimensions: unknown } } }[];
    expect(metrics.flatMap((metric) => (metric.MetricStat ? [metric.MetricStat.Metric] : []))).toEqual([
      { Namespace: 'EniPbr', MetricName: 'InstancesFailed', Dimensions: [{ Name: 'service', Value: 'eni-pbr' }] },
      { Namespace: 'EniPbr', MetricName: 'InstancesUnreachable', Dimensions: [{ Name: 'service', Value: 'eni-pbr' }] },
    ]);
    expect(alarm('RemediationFailuresAlarm')).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
  });

  it('fire on any event intake rejected', () => {
    expect(alarm('IntakeRejectionsAlarm')).toMatchObject({ Namespace: 'EniPbr', MetricName: 'EventsRejected', Threshold: 0 });
  });

  it('treat missing data as healthy and notify a topic only when one is configured', () => {
    for (const [, found] of resourcesOfType(template, 'AWS::CloudWatch::Alarm')) {
      expect(found.Properties.TreatMissingData).toBe('notBreaching');
      expect(found.Properties.AlarmActions).toEqual({ 'Fn::If': ['HasAlarmTopic', [''], { Ref: 'AWS::NoValue' }] });
    }
    expect(template.Conditions?.HasAlarmTopic).toEqual({ 'Fn::Not': [{ 'Fn::Equals': ['', ''] }] });
  });
});

describe('dashboard and logs (packaged template)', () => {
  it('shows events, compliance, durations and the queues', () => {
    const body = resource(template, 'Dashboard', 'AWS::CloudWatch::Dashboard').Properties.DashboardBody as { 'Fn::Sub': [string, Record<string, unknown>] };
    const [text, variables] = body['Fn::Sub'];
    const widgets = (JSON.parse(text) as { widgets: { properties: { title: string } }[] }).widgets.map((widget) => widget.properties.title);
    expect(widgets).toEqual(['Events', 'Compliance (instances)', 'Durations (ms)', 'Queues', 'Function errors and throttles']);
    for (const name of ['EventsReceived', 'EventsRejected', 'InstancesCompliant', 'InstancesRemediated', 'RemediationDuration']) expect(text).toContain(`"${name}"`);
    expect(variables.DeadLetters).toEqual({ 'Fn::GetAtt': ['RemediationDeadLetterQueue', 'QueueName'] });
  });

  it('keeps every log group for the stage\'s retention', () => {
    const groups = resourcesOfType(template, 'AWS::Logs::LogGroup');
    expect(groups.map(([id]) => id).sort()).toEqual(['AgentOutputLogGroup', 'IntakeLogGroup', 'RemediateLogGroup']);
    for (const [, group] of groups) expect(group.Properties.RetentionInDays).toBe(30);
  });

  it('traces both functions (Powertools Tracer)', () => {
    for (const id of ['IntakeLambdaFunction', 'RemediateLambdaFunction']) {
      expect(resource(template, id, 'AWS::Lambda::Function').Properties).toMatchObject({ TracingConfig: { Mode: 'Active' }, Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    }
  });
});

describe('the optional trail (packaged template)', () => {
  it('exists only under the CreateTrail condition, off by default', () => {
    expect(template.Conditions?.CreateTrail).toEqual({ 'Fn::Equals': ['false', 'true'] });
    for (const id of ['TrailBucket', 'TrailBucketPolicy', 'Trail']) expect(template.Resources[id]?.Condition).toBe('CreateTrail');
  });

  it('logs write management events into a private bucket only CloudTrail (this trail) writes to', () => {
    expect(resource(template, 'Trail', 'AWS::CloudTrail::Trail')).toMatchObject({
      DependsOn: ['TrailBucketPolicy'],
      Properties: { IsLogging: true, EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] },
    });
    expect(resource(template, 'TrailBucket', 'AWS::S3::Bucket').Properties.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true,
    });
    const policy = resource(template, 'TrailBucketPolicy', 'AWS::S3::BucketPolicy').Properties.PolicyDocument as { Statement: { Sid: string; Principal: unknown; Condition: unknown }[] };
    const write = policy.Statement.find((statement) => statement.Sid === 'CloudTrailWrite');
    expect(write?.Principal).toEqual({ Service: 'cloudtrail.amazonaws.com' });
    expect(JSON.stringify(write?.Condition)).toContain('trail/eni-pbr-test');
  });
});
