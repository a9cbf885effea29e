import { reasonOfIssues } from '../commons/reason-of-issues';
import { RemediationJobSchema, type RemediationJob } from '../service/remediation-job';

/** The SQS body → a RemediationJob, or the reason it is not one (zod issues named by field). */
export function parseJobBody(body: string): { success: true; job: RemediationJob } | { success: false; reason: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { success: false, reason: 'body is not JSON' };
  }
  const result = RemediationJobSchema.safeParse(value);
  return result.success ? { success: true, job: result.data } : { success: false, reason: reasonOfIssues(result.error.issues) };
}
