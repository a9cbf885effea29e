import { paginateFilterLogEvents, type CloudWatchLogsClient, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { CommandOutputReader } from '../../service/audit/audit-ports';

// A page holds ≤ 1 MB or 10,000 events and may be partial or empty with a nextToken (FilterLogEvents
// reference); 50 inspect documents (≤ 20,000 characters each, or their gzip envelope) fit one or two.
// The bound only stops a runaway loop.
const MAX_PAGES = 50;

/**
 * The document's stdout from CloudWatch Logs. The SSM Agent (amazon-ssm-agent, iohandler.go and
 * runpluginutil.go) names the stream `<CommandId>/<InstanceId>/<step name, ':' and '*' as '-'>/stdout`
 * and uploads the file every second, lines grouped into events of ≤ 200,000 bytes and a longer line cut at
 * 200,000 (cloudwatchlogsservice.go): the events of a stream, in order, joined, are the stdout. The plugin
 * waits for the upload to finish before reporting its status, so a finished command's output is there.
 */
export class CommandOutputLogs implements CommandOutputReader {
  constructor(
    private readonly client: CloudWatchLogsClient,
    private readonly logGroupName: string,
  ) {}

  async readStdout(commandId: string, instanceIds: readonly string[]): Promise<Map<string, string>> {
    const wanted = new Set(instanceIds);
    const events = new Map<string, FilteredLogEvent[]>();
    let pages = 0;
    // One prefix per command covers its ≤ 50 stdout and ≤ 50 stderr streams (FilterLogEvents searches ≤ 100 streams per prefix).
    for await (const page of paginateFilterLogEvents({ client: this.client }, { logGroupName: this.logGroupName, logStreamNamePrefix: `${commandId}/` })) {
      for (const event of page.events ?? []) {
        const instanceId = stdoutInstanceOf(event.logStreamName, commandId);
        if (instanceId === null || !wanted.has(instanceId)) continue;
        const list = events.get(instanceId) ?? [];
        list.push(event);
        events.set(instanceId, list);
      }
      pages += 1;
      if (pages >= MAX_PAGES) break;
    }
    const stdout = new Map<string, string>();
    for (const [instanceId, list] of events) {
      // Stable sort: events with one timestamp keep the order the service returned them in.
      const ordered = list.map((event, index) => ({ event, index })).sort((a, b) => (a.event.timestamp ?? 0) - (b.event.timestamp ?? 0) || a.index - b.index);
      stdout.set(instanceId, ordered.map(({ event }) => event.message ?? '').join(''));
    }
    return stdout;
  }
}

/** `<commandId>/<instanceId>/<step>/stdout` → instanceId; null for stderr or another command's stream. */
export function stdoutInstanceOf(streamName: string | undefined, commandId: string): string | null {
  const parts = (streamName ?? '').split('/');
  if (parts.length !== 4 || parts[0] !== commandId || parts[3] !== 'stdout') return null;
  return parts[1] ?? null;
}
