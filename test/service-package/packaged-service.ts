import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageService } from '../../scripts/serverless/package-service';
import type { CloudFormationTemplate } from './template';

export const STAGE = 'test';
export const REGION = 'ap-northeast-1';
/** For the hooks that wait for the packaging: a few seconds alone, much longer on a loaded CI machine. */
export const PACKAGING_TIMEOUT_MS = 240_000;

export interface PackagedService {
  readonly dir: string;
  readonly template: CloudFormationTemplate;
  readonly packageSeconds: number | undefined;
}

let packaged: Promise<PackagedService> | undefined;

/** The service as `serverless package --stage test --region ap-northeast-1` builds it, once per content hash. */
export function packagedService(): Promise<PackagedService> {
  packaged ??= packageService(STAGE, REGION).then(({ dir, packageSeconds }) => ({
    dir,
    packageSeconds,
    template: JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')) as CloudFormationTemplate,
  }));
  return packaged;
}
