/** The lab's two clients: one in a subnet of its own, one in the secondary ENI's subnet (eth1's 10.0.3.0/24). */
export const LAB_CLIENT_IP = '10.0.2.225';
export const LAB_CLIENT2_IP = '10.0.3.77';
/** The Docker-style container on the instance's docker0: the egress probe's source, and a caller of the host's service. */
export const LAB_CONTAINER_IP = '172.17.0.2';
export const LAB_PROBES = ['ping', 'host', 'container'] as const;

/**
 * One probe of the connectivity matrix: `<from> → <target> <probe>` from a client, or from the container:
 * its egress to the first client, and `host` to the host's service on each ENI IP.
 */
export interface MatrixRow {
  readonly from: string;
  readonly target: string;
  readonly probe: (typeof LAB_PROBES)[number] | 'egress';
  readonly ok: boolean;
  readonly detail: string;
}

const PROBES = new Set<string>([...LAB_PROBES, 'egress']);

/** lab.sh matrix --format tsv → rows; a malformed line is an error, never a silent pass. */
export function parseMatrix(tsv: string): MatrixRow[] {
  return tsv
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [from, target, probe, status, detail = ''] = line.split('\t');
      if (from === undefined || target === undefined || probe === undefined || !PROBES.has(probe) || (status !== 'ok' && status !== 'fail')) {
        throw new Error(`not a matrix line: ${JSON.stringify(line)}`);
      }
      return { from, target, probe: probe as MatrixRow['probe'], ok: status === 'ok', detail };
    });
}

/** The failing cells as `<from> -> <target> <probe>` strings, sorted: the compact form expected matrices are written in. */
export function failingCells(rows: readonly MatrixRow[]): string[] {
  return rows
    .filter((row) => !row.ok)
    .map((row) => matrixCell(row.from, row.target, row.probe))
    .sort();
}

export function matrixCell(from: string, target: string, probe: MatrixRow['probe']): string {
  return `${from} -> ${target} ${probe}`;
}

/** Every cell from one client to each target, for the given probes (all three by default). */
export function matrixCells(from: string, targets: readonly string[], probes: readonly MatrixRow['probe'][] = LAB_PROBES): string[] {
  return targets.flatMap((target) => probes.map((probe) => matrixCell(from, target, probe)));
}

/** The container's calls to the host's service (:8080) on each of the given ENI IPs. */
export function containerToHostCells(targets: readonly string[]): string[] {
  return matrixCells(LAB_CONTAINER_IP, targets, ['host']);
}
