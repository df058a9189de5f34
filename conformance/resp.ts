import { createConnection, type Socket } from 'node:net';

/** A Redis reply: status or bulk string, integer, null, error text or array. */
export type Reply = string | number | null | Error | Reply[];

/** A minimal RESP2 client on one connection: commands are answered in order (pipelining). */
export class Resp {
  private readonly socket: Socket;
  private buf = Buffer.alloc(0);
  private readonly waiting: ((r: Reply) => void)[] = [];

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (;;) {
        const r = parse(this.buf, 0);
        if (r === undefined) break;
        this.buf = this.buf.subarray(r.end);
        this.waiting.shift()?.(r.value);
      }
    });
  }

  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number): Promise<Resp> {
    return new Promise((resolve, reject) => {
      const s = createConnection({ host: '127.0.0.1', port }, () => resolve(new Resp(s)));
      s.setNoDelay(true);
      s.once('error', reject);
    });
  }

  /** Sends one command and resolves with its reply. */
  call(...args: (string | number)[]): Promise<Reply> {
    const parts = args.map(String);
    let out = `*${parts.length}\r\n`;
    for (const p of parts) out += `$${Buffer.byteLength(p)}\r\n${p}\r\n`;
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.socket.write(out);
    });
  }

  /** Closes the connection. */
  close(): void {
    this.socket.destroy();
  }
}

function line(buf: Buffer, at: number): { text: string; next: number } | undefined {
  const end = buf.indexOf('\r\n', at);
  return end < 0 ? undefined : { text: buf.toString('utf8', at, end), next: end + 2 };
}

function parse(buf: Buffer, at: number): { value: Reply; end: number } | undefined {
  const l = line(buf, at + 1);
  if (l === undefined || buf.length <= at) return undefined;
  switch (String.fromCharCode(buf[at]!)) {
    case '+':
      return { value: l.text, end: l.next };
    case '-':
      return { value: new Error(l.text), end: l.next };
    case ':':
      return { value: Number(l.text), end: l.next };
    case '$': {
      const n = Number(l.text);
      if (n < 0) return { value: null, end: l.next };
      if (buf.length < l.next + n + 2) return undefined;
      return { value: buf.toString('utf8', l.next, l.next + n), end: l.next + n + 2 };
    }
    case '*': {
      const n = Number(l.text);
      if (n < 0) return { value: null, end: l.next };
      const items: Reply[] = [];
      let p = l.next;
      for (let k = 0; k < n; k++) {
        const r = parse(buf, p);
        if (r === undefined) return undefined;
        items.push(r.value);
        p = r.end;
      }
      return { value: items, end: p };
    }
    default:
      throw new Error(`unexpected RESP byte ${buf[at]}`);
  }
}
