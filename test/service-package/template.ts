/** The slice of a CloudFormation template the tests read. */
export interface CloudFormationResource {
  readonly Type: string;
  readonly Condition?: string;
  readonly DependsOn?: string | readonly string[];
  readonly Properties: Record<string, unknown>;
}

export interface CloudFormationTemplate {
  readonly Resources: Record<string, CloudFormationResource>;
  readonly Conditions?: Record<string, unknown>;
  readonly Outputs?: Record<string, unknown>;
}

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, unknown>;
}

/** The one resource with this logical id and type (throws, naming both, when it is absent). */
export function resource(template: CloudFormationTemplate, logicalId: string, type: string): CloudFormationResource {
  const found = template.Resources[logicalId];
  if (found?.Type !== type) throw new Error(`template has no ${type} ${logicalId}`);
  return found;
}

/** Every resource of one type, by logical id. */
export function resourcesOfType(template: CloudFormationTemplate, type: string): [string, CloudFormationResource][] {
  return Object.entries(template.Resources).filter(([, found]) => found.Type === type);
}

export const actionsOf = (statement: PolicyStatement): string[] =>
  typeof statement.Action === 'string' ? [statement.Action] : [...statement.Action];

/** The statements of an IAM role's inline policies, and of AWS::IAM::Policy resources attached to it. */
export function roleStatements(template: CloudFormationTemplate, roleId: string): { statement: PolicyStatement; condition?: string }[] {
  const role = resource(template, roleId, 'AWS::IAM::Role');
  const inline = (role.Properties.Policies as { PolicyDocument: { Statement: PolicyStatement[] } }[]).flatMap((policy) =>
    policy.PolicyDocument.Statement.map((statement) => ({ statement })),
  );
  const attached = resourcesOfType(template, 'AWS::IAM::Policy')
    .filter(([, policy]) => (policy.Properties.Roles as unknown[]).some((ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId })))
    .flatMap(([, policy]) =>
      (policy.Properties.PolicyDocument as { Statement: PolicyStatement[] }).Statement.map((statement) => ({ statement, condition: policy.Condition })),
    );
  return [...inline, ...attached];
}
