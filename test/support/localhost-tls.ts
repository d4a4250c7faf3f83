import { readFileSync } from 'node:fs';

/**
 * A self-signed certificate for `localhost` and 127.0.0.1 (valid until 2126), made for these tests
 * only (`openssl req -x509 -newkey ec -days 36500 ...`): TLS servers that clients negotiate HTTP/2
 * with over ALPN. The client trusts it as its `ca`.
 */
export function localhostTls(): { key: Buffer; cert: Buffer } {
  const read = (name: string) => readFileSync(new URL(`./tls/${name}`, import.meta.url));
  return { key: read('localhost.key'), cert: read('localhost.crt') };
}
