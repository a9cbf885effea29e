/** One probe of the connectivity matrix: `<target> <probe>` from the client (or the container's egress). */
export interface MatrixRow {
  readonly target: string;
  readonly probe: 'ping' | 'host' | 'container' | 'egress';
  readonly ok: boolean;
  readonly detail: string;
}

const PROBES = new Set(['ping', 'host', 'container', 'egress']);

/** lab.sh matrix --format tsv → rows; a malformed line is an error, never a silent pass. */
export function parseMatrix(tsv: string): MatrixRow[] {
  return tsv
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [target, probe, status, detail = ''] = line.split('\t');
      if (target === undefined || probe === undefined || !PROBES.has(probe) || (status !== 'ok' && status !== 'fail')) {
        throw new Error(`not a matrix line: ${JSON.stringify(line)}`);
      }
      return { target, probe: probe as MatrixRow['probe'], ok: status === 'ok', detail };
    });
}

/** The failing cells as `<target> <probe>` strings, sorted: the compact form expected matrices are written in. */
export function failingCells(rows: readonly MatrixRow[]): string[] {
  return rows
    .filter((row) => !row.ok)
    .map((row) => `${row.target} ${row.probe}`)
    .sort();
}
