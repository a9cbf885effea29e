import type { Context } from 'aws-lambda';
import { recordOrigin, type ParsedIntakeEvent } from './intake-event-schema';

/**
 * The event must come from this function's own account and region, in the envelope and in the
 * CloudTrail record alike: a cross-account bus forwarding foreign events must never make this
 * account's function send commands. Returns the reason to reject, or null.
 */
export function originMismatch(event: ParsedIntakeEvent, context: Pick<Context, 'invokedFunctionArn'>, region: string): string | null {
  // arn:aws:lambda:<region>:<account>:function:<name>
  const account = context.invokedFunctionArn.split(':')[4];
  const record = recordOrigin(event);
  if (event.account !== account) return `account ${event.account} is not this function's`;
  if (event.region !== region) return `region ${event.region} is not this function's`;
  if (record !== null && record.account !== account) return `recipientAccountId ${record.account} is not this function's account`;
  if (record !== null && record.region !== region) return `awsRegion ${record.region} is not this function's region`;
  return null;
}
