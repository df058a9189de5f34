import { dirname, isAbsolute, join } from 'node:path';
import { openTrace } from '../models/trace/open.ts';
import { TraceInputError } from '../models/trace/record.ts';
import { type ReplayFileConfig, replayRead, type TraceOpener } from '../models/trace/replay.ts';
import { openTraceFile } from './trace-file.ts';

/** A trace opener for one scenario file's clients, and a close() for every file it opened. */
export interface TraceFiles {
  readonly open: TraceOpener;
  closeAll(): void;
}

/** Resolves a trace path the way scenarios name it: relative to the scenario file's folder. */
export function tracePath(scenarioFile: string, file: string): string {
  return isAbsolute(file) ? file : join(dirname(scenarioFile), file);
}

/** Opens the trace files a scenario replays, lazily and as streams (the only I/O of a replay). */
export function openReplayTraces(scenarioFile: string): TraceFiles {
  const opened: { close(): void }[] = [];
  return {
    open(file, read) {
      const f = openTraceFile(tracePath(scenarioFile, file));
      opened.push(f);
      return openTrace(f.bytes, read, true);
    },
    closeAll() {
      for (const f of opened.splice(0)) f.close();
    },
  };
}

/** The replay-file arrivals of a scenario with their JSON pointers. */
function replayArrivals(scenario: { components: Record<string, unknown> }) {
  const out: { pointer: string; config: ReplayFileConfig & { file: string } }[] = [];
  for (const [id, c] of Object.entries(scenario.components)) {
    const arrival = (c as { arrival?: { process?: string; file?: string } }).arrival;
    if (arrival?.process === 'replay' && typeof arrival.file === 'string') {
      out.push({
        pointer: `/components/${id}/arrival/file`,
        config: arrival as ReplayFileConfig & { file: string },
      });
    }
  }
  return out;
}

/**
 * Reads every trace a scenario replays once, end to end (flat memory), so bad trace input is
 * reported before anything runs or is written: one line per bad trace, `FILE: /pointer: message`.
 */
export function checkReplayTraces(
  scenario: { components: Record<string, unknown> },
  scenarioFile: string,
): string[] {
  const lines: string[] = [];
  for (const { pointer, config } of replayArrivals(scenario)) {
    try {
      const f = openTraceFile(tracePath(scenarioFile, config.file));
      try {
        const src = openTrace(f.bytes, replayRead(config), true);
        while (src.next() !== undefined);
      } finally {
        f.close();
      }
    } catch (error) {
      if (!(error instanceof TraceInputError)) throw error;
      lines.push(`${scenarioFile}: ${pointer}: ${error.message}`);
    }
  }
  return lines;
}
