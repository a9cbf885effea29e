import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { environmentOf } from './bundled-output';
import { type Invocation, invokeBundled, unzipPackage } from './invoke-bundled';
import { type LoopbackAws, type RecordedCall, type Responder, startLoopbackAws } from './loopback-aws';
import { type PackagedService, PACKAGING_TIMEOUT_MS, packagedService } from './packaged-service';

export const md5 = (text: string) => createHash('md5').update(text).digest('hex');

const LOGICAL_ID = { intake: 'IntakeLambdaFunction', remediate: 'RemediateLambdaFunction' } as const;

export interface BundledFunction {
  /** Invokes the packaged function once with `event`, its AWS calls answered by `responders`. */
  invoke(event: unknown, responders: Record<string, Responder>, env?: Record<string, string>): Promise<Invocation & { calls: RecordedCall[] }>;
}

/**
 * A packaged function (its zip from `serverless package`) for one test file: packaged once, unzipped
 * per invocation, each invocation with its own loopback AWS endpoint, closed after every test.
 */
export function bundledFunction(fn: keyof typeof LOGICAL_ID): BundledFunction {
  let service: PackagedService;
  let loopback: LoopbackAws | undefined;
  beforeAll(async () => {
    service = await packagedService();
  }, PACKAGING_TIMEOUT_MS);
  afterEach(async () => {
    await loopback?.close();
    loopback = undefined;
  });
  return {
    async invoke(event, responders, env = {}) {
      loopback = await startLoopbackAws(responders);
      const task = unzipPackage(join(service.dir, `${fn}.zip`));
      const environment = { ...environmentOf(service, LOGICAL_ID[fn], loopback.endpoint), ...env };
      const output = await invokeBundled(task, `functions/${fn}/handler.handler`, event, environment);
      return { ...output, calls: loopback.calls };
    },
  };
}
