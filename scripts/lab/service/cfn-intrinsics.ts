/**
 * What CloudFormation would put in place of `Ref`, `Fn::GetAtt`, `Fn::Sub` and `Fn::Join` once the
 * stack exists: the harness "deploys" the packaged template onto the local endpoint and resolves the
 * functions' environments with it. Anything else (Fn::If, Fn::ImportValue…) is an error, never a guess.
 */
export interface PhysicalIds {
  /** logical id → what `Ref` returns (a queue's URL, a table's or document's name) */
  readonly refs: Readonly<Record<string, string>>;
  /** `LogicalId.Attribute` → what `Fn::GetAtt` returns (Arn) */
  readonly attributes: Readonly<Record<string, string>>;
}

export const REGION = 'ap-northeast-1';
export const ACCOUNT = '123456789012';

const PSEUDO: Record<string, string> = {
  'AWS::Region': REGION,
  'AWS::AccountId': ACCOUNT,
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
  'AWS::StackName': 'eni-pbr-lab',
};

export class IntrinsicError extends Error {
  override readonly name = 'IntrinsicError';
}

export function resolveIntrinsics(value: unknown, ids: PhysicalIds): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveIntrinsics(item, ids));
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>);
  const [first] = entries;
  if (entries.length === 1 && first !== undefined && (first[0] === 'Ref' || first[0].startsWith('Fn::'))) return resolveFunction(first[0], first[1], ids);
  return Object.fromEntries(entries.map(([key, inner]) => [key, resolveIntrinsics(inner, ids)]));
}

function ref(name: string, ids: PhysicalIds): string {
  const found = PSEUDO[name] ?? ids.refs[name];
  if (found === undefined) throw new IntrinsicError(`no physical id for Ref ${name}`);
  return found;
}

function resolveFunction(name: string, argument: unknown, ids: PhysicalIds): string {
  switch (name) {
    case 'Ref':
      return ref(String(argument), ids);
    case 'Fn::GetAtt': {
      const [logicalId, attribute] = Array.isArray(argument) ? argument : String(argument).split('.');
      const found = ids.attributes[`${String(logicalId)}.${String(attribute)}`];
      if (found === undefined) throw new IntrinsicError(`no value for Fn::GetAtt ${String(logicalId)}.${String(attribute)}`);
      return found;
    }
    case 'Fn::Join': {
      const [separator, parts] = argument as [string, unknown[]];
      return parts.map((part) => String(resolveIntrinsics(part, ids))).join(separator);
    }
    case 'Fn::Sub': {
      const [text, variables = {}] = Array.isArray(argument) ? (argument as [string, Record<string, unknown>]) : [String(argument)];
      return text.replace(/\$\{([^}!]+)\}/g, (_whole, key: string) => {
        if (key in variables) return String(resolveIntrinsics(variables[key], ids));
        return key.includes('.') ? resolveFunction('Fn::GetAtt', key, ids) : ref(key, ids);
      });
    }
    default:
      throw new IntrinsicError(`${name} is not resolved by the lab harness`);
  }
}
