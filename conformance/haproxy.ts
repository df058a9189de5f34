import { ServerProcess } from './servers.ts';

/** One HAProxy backend: chosen by path prefix, with its `balance` line and servers. */
export interface HaproxyBackend {
  readonly name: string;
  readonly prefix: string;
  /** Lines inside the backend section (balance, cookie, …). */
  readonly lines: readonly string[];
  /** `server` lines without the leading keyword. */
  readonly servers: readonly string[];
}

/** The haproxy.cfg text: HTTP mode, one frontend on 127.0.0.1:`port` routing by path prefix. */
export function haproxyConf(port: number, backends: readonly HaproxyBackend[]): string {
  const use = backends.map((b) => `  use_backend ${b.name} if { path_beg ${b.prefix} }`).join('\n');
  const sections = backends
    .map(
      (b) =>
        `backend ${b.name}\n${b.lines.map((l) => `  ${l}\n`).join('')}${b.servers.map((s) => `  server ${s}\n`).join('')}`,
    )
    .join('\n');
  return `global
  maxconn 4096
defaults
  mode http
  timeout connect 2s
  timeout client 20s
  timeout server 20s
frontend fe
  bind 127.0.0.1:${port}
${use}
${sections}`;
}

/** Starts haproxy in the foreground (-db) with the generated config; stop it with `.stop()`. */
export async function startHaproxy(
  binary: string,
  port: number,
  backends: readonly HaproxyBackend[],
): Promise<ServerProcess> {
  const p = new ServerProcess('haproxy');
  const conf = p.write('haproxy.cfg', haproxyConf(port, backends));
  await p.start(binary, ['-db', '-f', conf], port);
  return p;
}
