import { createServer } from 'node:net';

/**
 * A TCP port that is free right now on `host` (the OS picks it). For apps
 * whose configuration refuses port 0; another process could take it before
 * the app binds, which is unlikely enough for tests.
 */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}
