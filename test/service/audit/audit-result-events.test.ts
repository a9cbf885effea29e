import { auditResultDetails, MAX_DETAIL_BYTES } from '../../../functions/service/audit/audit-result-events';
import { summarize, type InstanceAudit } from '../../../functions/service/audit/audit-report';

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8');
const reportOf = (instances: InstanceAudit[]) => ({ auditId: 'a', mode: 'check' as const, startedAt: '2026-12-03T08:00:00.000Z', durationMs: 1, summary: summarize(instances), instances });

describe('auditResultDetails', () => {
  it('cuts 1,000 drifted instances into chunks that each fit one PutEvents entry, summary first', () => {
    const instances = Array.from({ length: 1000 }, (_, i) => ({ instanceId: `i-${String(i).padStart(17, '0')}`, status: 'drift' as const, missing: Array.from({ length: 12 }, (_, k) => `table 20001: route 10.0.${k}.0/24 dev 0a:1b:00:00:00:0${k % 10}`) }));

    const details = auditResultDetails(reportOf(instances));

    expect(details[0]).toMatchObject({ kind: 'summary', chunks: details.length - 1, summary: { drift: 1000 } });
    expect(details.length).toBeGreaterThan(2);
    for (const detail of details) expect(bytes(detail)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
    expect(details.flatMap((detail) => (detail.kind === 'instances' ? detail.instances : [])).map((line) => line.instanceId)).toEqual(instances.map((line) => line.instanceId));
  });

  it('shortens one instance too large for any entry to counts, keeping its status', () => {
    const huge: InstanceAudit = { instanceId: 'i-0000000000000000a', status: 'drift', missing: Array.from({ length: 5000 }, (_, k) => `remove stale rule ${k}: from 10.0.0.${k % 250}`) };

    const [, chunk] = auditResultDetails(reportOf([huge]));

    expect(chunk).toMatchObject({ kind: 'instances', instances: [{ instanceId: huge.instanceId, status: 'drift', notes: [expect.stringContaining('5000 missing pieces')] }] });
    expect(bytes(chunk)).toBeLessThanOrEqual(MAX_DETAIL_BYTES);
  });
});
