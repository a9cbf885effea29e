import type { LoggerPort } from '../use-cases/ports';

/** JSON log lines on stderr (stdout carries the report); silent unless --verbose. */
export function stderrLogger(verbose: boolean, write: (line: string) => void): LoggerPort {
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    if (verbose) write(`${JSON.stringify({ level, message, ...fields })}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn') };
}
