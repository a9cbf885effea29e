import type { AuditReport, AuditStatus, InstanceAudit } from '../service/audit/audit-report';

const ORDER: readonly AuditStatus[] = ['drift', 'unreachable', 'error', 'satisfied', 'compliant', 'skipped'];

/** The audit as a table, worst first, then the missing pieces in words and the summary. */
export function renderAudit(report: AuditReport): string {
  const lines = [...report.instances].sort((a, b) => ORDER.indexOf(a.status) - ORDER.indexOf(b.status) || a.instanceId.localeCompare(b.instanceId));
  const rows = lines.map((line) => [line.instanceId, line.status, line.hostname ?? '', detailOf(line)]);
  const header = ['INSTANCE', 'STATUS', 'HOST', 'DETAIL'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const format = (row: readonly string[]) => row.map((cell, column) => (column === row.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ').trimEnd();
  const out = [`eni-pbr audit ${report.auditId} (${report.mode}, ${(report.durationMs / 1000).toFixed(1)} s)`, '', format(header), ...rows.map(format)];

  const drifted = lines.filter((line) => line.status === 'drift');
  if (drifted.length > 0) {
    out.push('', 'missing:');
    for (const line of drifted) {
      out.push(`  ${line.instanceId}${line.hostname === undefined ? '' : ` (${line.hostname})`}`);
      for (const piece of line.missing ?? []) out.push(`    - ${piece}`);
    }
  }
  const s = report.summary;
  const compliance = s.compliancePercent === null ? 'n/a' : `${s.compliancePercent}%`;
  out.push(
    '',
    `${s.total} instances: ${s.compliant} compliant, ${s.satisfied} satisfied by existing config, ${s.drift} drift, ${s.unreachable} unreachable, ${s.error} error, ${s.skipped} skipped; compliance ${compliance}` +
      (report.mode === 'fix' ? `; ${s.remediationsEnqueued} remediation jobs enqueued` : ''),
  );
  return `${out.join('\n')}\n`;
}

function detailOf(line: InstanceAudit): string {
  switch (line.status) {
    case 'drift': {
      const count = line.missing?.length ?? 0;
      const job = line.remediation === undefined ? '' : line.remediation.enqueued ? '; fix enqueued' : `; NOT enqueued: ${line.remediation.error ?? ''}`;
      return `${count} missing piece${count === 1 ? '' : 's'}${job}`;
    }
    case 'satisfied':
      return `by ${(line.satisfiedBy ?? []).join(', ')}`;
    case 'compliant':
      return '';
    default:
      return line.reason ?? '';
  }
}
