import { ServerProcess } from './servers.ts';

/** One `location` of the generated nginx.conf. */
export interface NginxLocation {
  /** An exact path, or a prefix when it ends with '/'. */
  readonly path: string;
  /** Directives inside the location (proxy_pass is added). */
  readonly body: string;
  /** Upstream block name to proxy to. */
  readonly upstream: string;
}

/** Everything one nginx instance serves. */
export interface NginxConfig {
  readonly port: number;
  /** Directives at http level (zones, upstream blocks). */
  readonly http: string;
  readonly locations: readonly NginxLocation[];
}

/** The nginx.conf text: one worker, logs and temp files in `dir`, real client address from XFF. */
export function nginxConf(dir: string, c: NginxConfig): string {
  const user = process.getuid?.() === 0 ? 'user root;\n' : '';
  const locations = c.locations
    .map(
      (l) =>
        `    location ${l.path.endsWith('/') ? '' : '= '}${l.path} {\n      ${l.body}\n      proxy_pass http://${l.upstream};\n    }`,
    )
    .join('\n');
  return `${user}daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  set_real_ip_from 127.0.0.1;
  real_ip_header X-Forwarded-For;
  proxy_http_version 1.1;
  proxy_set_header Connection "";
  proxy_set_header X-Proxy-Sent-At $msec;
${c.http}
  server {
    listen 127.0.0.1:${c.port};
    add_header X-Msec $msec always;
    add_header X-Rt $request_time always;
    add_header X-Limit-Req $limit_req_status always;
    add_header X-Conn $connection always;
${locations}
  }
}
`;
}

/** Starts nginx with `config` in a temporary folder; stop it with `.stop()`. */
export async function startNginx(binary: string, config: NginxConfig): Promise<ServerProcess> {
  const p = new ServerProcess('nginx');
  const conf = p.write('nginx.conf', nginxConf(p.dir, config));
  await p.start(binary, ['-p', `${p.dir}/`, '-e', `${p.dir}/error.log`, '-c', conf], config.port);
  return p;
}

/**
 * nginx's own view of a request: received at $msec − $request_time (epoch ms, its clock), and
 * held from then until it built the upstream request ($msec echoed back); 0 when rejected.
 */
export function nginxTiming(h: Readonly<Record<string, string>>): {
  receivedMs?: number;
  heldMs?: number;
} {
  const msec = Number(h['x-msec']);
  const rt = Number(h['x-rt']);
  if (!Number.isFinite(msec) || !Number.isFinite(rt)) return {};
  const receivedMs = Math.round(msec * 1000 - rt * 1000);
  // $msec when nginx built the upstream request (echoed by the upstream): nginx's clock.
  const at = Number(h['x-proxy-sent-at']) * 1000;
  return { receivedMs, heldMs: Number.isFinite(at) ? Math.max(0, at - receivedMs) : 0 };
}

/**
 * What nginx's limit_req logged at level info, per connection number ($connection): the excess
 * in milli-requests it computed ("delaying request, excess: 1.500" or "limiting requests").
 */
export function limitReqExcess(errorLog: string): Map<number, number> {
  const out = new Map<number, number>();
  const re = /\*(\d+) (?:delaying request|limiting requests), excess: (\d+)\.(\d{3})/g;
  for (const m of errorLog.matchAll(re)) {
    out.set(Number(m[1]), Number(m[2]) * 1000 + Number(m[3]));
  }
  return out;
}
