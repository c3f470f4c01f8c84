/**
 * A private CA made here with openssl and a TLS terminator in front of a loopback port, its
 * certificate signed by that CA: what an on-prem Live Platform looks like.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import tls from 'node:tls';

export interface PrivateCa {
  caFile: string;
  key: Buffer;
  cert: Buffer;
}

/** A CA (`ca.pem` in `dir`) and a certificate for 127.0.0.1 signed by it, valid for `days`. */
export function makePrivateCa(dir: string, days = 2): PrivateCa {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  const valid = ['-days', String(days)];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    ...valid,
    '-subj',
    '/CN=lpsync test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign',
  );
  openssl('req', ...ec, '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1\n');
  openssl(
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'server.pem',
    ...valid,
    '-extfile',
    'ext.cnf',
  );
  return {
    caFile: path.join(dir, 'ca.pem'),
    key: readFileSync(path.join(dir, 'server.key')),
    cert: readFileSync(path.join(dir, 'server.pem')),
  };
}

export interface Terminator {
  url: string;
  /** TLS connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** TLS on 127.0.0.1 (port from the OS), piped to `targetPort` in clear. */
export async function startTlsTerminator(ca: PrivateCa, targetPort: number): Promise<Terminator> {
  let connections = 0;
  const server = tls.createServer({ key: ca.key, cert: ca.cert }, (socket) => {
    connections += 1;
    const upstream = net.connect(targetPort, '127.0.0.1');
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end);
    upstream.on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
