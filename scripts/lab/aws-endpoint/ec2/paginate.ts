import { AwsError } from '../aws-error';
import { queryString, type QueryValue } from '../wire/ec2-query';

/** EC2's MaxResults/NextToken (5–1000); without MaxResults everything comes in one page, as EC2 does for small accounts. */
export function paginate<T>(items: readonly T[], input: Record<string, QueryValue>): { items: T[]; nextToken?: string } {
  const maxText = queryString(input, 'MaxResults');
  if (maxText === undefined) return { items: [...items] };
  const max = Number(maxText);
  if (!Number.isInteger(max) || max < 5 || max > 1000) throw new AwsError('InvalidParameterValue', `Value ( ${maxText} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  const token = queryString(input, 'NextToken');
  const start = token === undefined ? 0 : Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(start) || start < 0) throw new AwsError('InvalidPaginationToken', `Invalid pagination token: ${token}`);
  const end = start + max;
  return { items: items.slice(start, end), ...(end < items.length ? { nextToken: Buffer.from(String(end)).toString('base64url') } : {}) };
}
