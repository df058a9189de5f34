import { CACHE_CURVE_USAGE } from './commands/cache-curve.ts';
import { CHECK_ALGORITHM_USAGE } from './commands/check-algorithm.ts';
import { COMPARE_USAGE } from './commands/compare.ts';
import { DIFF_TRACE_USAGE } from './commands/diff-trace.ts';
import { PLAYGROUND_USAGE } from './commands/playground.ts';
import { SWEEP_USAGE } from './commands/sweep.ts';
import { COLLECT_USAGE } from './queue/collect-command.ts';
import { STATUS_USAGE } from './queue/status-command.ts';
import { WORKER_USAGE } from './queue/worker-command.ts';

/** Top-level help text. */
export const MAIN_HELP = `stacksim — deterministic discrete-event simulator of web backends

Usage: stacksim COMMAND [options]

Commands:
  run FILE        run a scenario and print a summary table (or --json, --out DIR)
  validate FILE…  check scenario files; print every problem with its JSON pointer
  schema          print the scenario JSON Schema (or write it with --out FILE)
  list [DIR]      list the scenarios in scenarios/ (or DIR)
  compare FILE    run the scenario's variants with common random numbers; paired differences
  sweep FILE      run the scenario's sweep grid (and capacity search); tidy CSV per point
  report DIR      an HTML report from a saved --out folder of run, compare or sweep
  diff-trace A [B]  first event where two traced runs differ (seeds, --set, files)
  cache-curve TRACE  miss-ratio curves of cache policies over a trace file (CSV + SVG)
  check-algorithm FILE --family F  run a family's contract suite against your own module
  worker          run queued sweep/compare jobs from Redis (--queue redis://HOST:PORT)
  status ID       progress and workers of a queued study
  collect ID      wait for a queued study and write its output folder (--out DIR)
  playground      serve the browser playground on 127.0.0.1 (edit, run, share a link)

Options:
  -h, --help      help (also: stacksim COMMAND --help)
  -v, --version   print the version

Exit codes: 0 ok, 1 run failure (a model error), 2 bad input or usage, 3 a budget
(run.maxEvents / run.maxWallSeconds) stopped the run (partial results written),
130 interrupted by Ctrl-C (SIGINT), 143 terminated (SIGTERM); nothing is written then.

Examples:
  stacksim run scenarios/quickstart.json
  stacksim validate scenarios/*.json
  stacksim run scenarios/quickstart.json --replications 10 --out out/quickstart
`;

/** Help per command. */
export const COMMAND_HELP: Readonly<Record<string, string>> = {
  compare: `${COMPARE_USAGE}\n`,
  sweep: `${SWEEP_USAGE}\n`,
  'diff-trace': DIFF_TRACE_USAGE,
  'cache-curve': CACHE_CURVE_USAGE,
  'check-algorithm': CHECK_ALGORITHM_USAGE,
  worker: WORKER_USAGE,
  status: STATUS_USAGE,
  collect: COLLECT_USAGE,
  playground: PLAYGROUND_USAGE,
  run: `Usage: stacksim run FILE [options]

Runs the scenario in FILE and prints a summary table per component: requests, status mix,
throughput, latency p50/p90/p99/p99.9/max, utilisation, mean queue length, hit ratio, 429 ratio.

Options:
  --seed N              base seed (overrides "seed")
  --duration D          measured simulated time, like 30s (overrides run.duration)
  --replications R      independent runs with derived seeds; mean and 95% CI per metric
  --set path=value      change a field before validation; value is JSON if it parses,
                        else a string (repeatable)
  --variant NAME        run the file's variant NAME (the base scenario without it; a file
                        with variants says so on stderr; compare runs them all)
  -o, --out DIR         write DIR/results.json, DIR/timeseries.csv, DIR/scenario.resolved.json
  --json                print the results JSON (docs/results.md) instead of the table
  --report FILE         write a self-contained HTML report (charts, stack diagram; docs/reports.md)
  --plots DIR           with --report: also write each chart as an SVG file
  --trace-requests N    keep spans of N requests (half sampled by id hash, half the slowest)
                        and write trace.json (Chrome/Perfetto) and otel.json (OTLP JSON)
                        into --out DIR, else next to the report
  -q, --quiet           no table and no progress bar

A progress bar appears on stderr when it is a terminal and the run takes over a second.
Exit: 0 ok, 1 run failure, 2 bad input, 3 stopped by a budget (partial), 130 SIGINT, 143 SIGTERM.

Examples:
  stacksim run scenarios/quickstart.json
  stacksim run scenarios/quickstart.json --seed 7 --duration 2m --json
  stacksim run scenarios/quickstart.json --set components.app.replicas=8 --set run.warmup=10s
  stacksim run scenarios/quickstart.json --replications 20 --out out/q
  stacksim run scenarios/lb-compare.json --variant p2c
`,
  validate: `Usage: stacksim validate FILE…

Checks each file: JSON syntax (with line and column), the schema (types, units, ranges),
and cross-references (component ids, replicas like app[3], links, timeline targets,
routing cycles, run size). Prints "FILE: ok" per valid file on stdout and one line per
problem on stderr as FILE: /json/pointer: message. Exit 0 when all are valid, else 2.

Examples:
  stacksim validate scenarios/quickstart.json
  stacksim validate scenarios/*.json
`,
  schema: `Usage: stacksim schema [-o, --out FILE]

Prints the JSON Schema of scenario files (generated from the component kinds) on stdout, or
writes it to FILE. The repository's copy, docs/scenario.schema.json, is written by
\`npm run schema\`; scenario files point to it with "$schema": "../docs/scenario.schema.json"
so editors can complete and check them.

Examples:
  stacksim schema > scenario.schema.json
  stacksim schema --out schemas/scenario.schema.json
`,
  report: `Usage: stacksim report RESULTS_DIR [-o FILE] [--plots DIR]

Builds a self-contained HTML report (opens offline, prints well) from a folder written by
run --out, compare --out or sweep --out: results.json + timeseries.csv (+ latency-histograms.json,
trace.json), compare.json, or sweep.json / capacity.json, each with scenario.resolved.json.

Options:
  -o, --out FILE        where to write the report (default: RESULTS_DIR/report.html)
  --plots DIR           also write each chart as an SVG file

Examples:
  stacksim run scenarios/checkout.json --out out/checkout && stacksim report out/checkout
`,
  list: `Usage: stacksim list [DIR]

Lists the scenario files in scenarios/ (or DIR) with their name and first sentence of
their description.

Examples:
  stacksim list
`,
};
