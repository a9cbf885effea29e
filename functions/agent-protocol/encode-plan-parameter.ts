import { gzipSync } from 'node:zlib';
import { PLAN_ALLOWED_PATTERN, PLAN_PARAMETER_MAX_CHARS } from './plan-parameter-pattern';
import { AGENT_DOCUMENT_MAX_BYTES, SSM_DOCUMENT_QUOTA_BYTES } from './ssm-size-budget';

export { PLAN_ALLOWED_PATTERN } from './plan-parameter-pattern';

/** The plan does not fit the share of SSM's 64 KB quota the document leaves it: nothing is sent. */
export class PlanParameterTooLargeError extends Error {
  constructor(readonly chars: number) {
    super(
      `encoded plan is ${chars} characters; the Plan parameter takes at most ${PLAN_PARAMETER_MAX_CHARS} ` +
        `(SSM's ${SSM_DOCUMENT_QUOTA_BYTES}-byte quota for document and parameters, less ${AGENT_DOCUMENT_MAX_BYTES} for the document)`,
    );
    this.name = 'PlanParameterTooLargeError';
  }
}

const allowed = new RegExp(PLAN_ALLOWED_PATTERN);

/** base64(gzip(plan text)) on one line: the form the document's `Plan` parameter accepts. */
export function encodePlanParameter(planText: string): string {
  const encoded = gzipSync(Buffer.from(planText, 'utf8'), { level: 9 }).toString('base64');
  if (encoded.length > PLAN_PARAMETER_MAX_CHARS) throw new PlanParameterTooLargeError(encoded.length);
  // Buffer#toString('base64') never emits newlines or URL-safe characters; the check keeps it that way.
  if (!allowed.test(encoded)) throw new Error('encoded plan does not match the Plan allowedPattern');
  return encoded;
}
