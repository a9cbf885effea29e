import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseInstanceFacts } from '../../../functions/core/ec2/parse-instance-facts';
import type { InstanceFacts } from '../../../functions/core/model/eni-facts';
import type { ObservedHost } from '../../../functions/core/model/observed-host';
import { parseInspectDocument } from '../../../functions/core/observed/parse-inspect-document';

const fixtures = join(__dirname, '..', '..', 'fixtures', 'core');

/** test/fixtures/core/inspect/<name>.json: captured from real namespaces (capture-inspect-fixtures.sh). */
export function readInspectFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(fixtures, 'inspect', `${name}.json`), 'utf8')) as Record<string, unknown>;
}

/** test/fixtures/core/ec2/<name>.json: { instanceId, describeNetworkInterfaces, describeSubnets } in SDK v3 shapes. */
export function readEc2Fixture(name: string): { instanceId: string; describeNetworkInterfaces: unknown; describeSubnets: unknown } {
  return JSON.parse(readFileSync(join(fixtures, 'ec2', `${name}.json`), 'utf8')) as { instanceId: string; describeNetworkInterfaces: unknown; describeSubnets: unknown };
}

export const loadObserved = (name: string): ObservedHost => parseInspectDocument(readInspectFixture(name));
export const loadFacts = (name: string): InstanceFacts => parseInstanceFacts(readEc2Fixture(name));
