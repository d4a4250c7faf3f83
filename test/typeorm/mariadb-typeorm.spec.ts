import { startMariadb } from '../support/mariadb.js';
import { describeTypeOrmAcceptance } from './typeorm-acceptance.js';

// One server for the file, started at load so registration knows whether it exists.
const server = await startMariadb();
afterAll(async () => server?.stop());

if (server) {
  describeTypeOrmAcceptance('MariaDB (mysql2)', {
    freshOptions: async () => ({ type: 'mariadb', host: server.host, port: server.port, username: 'root', database: await server.createDatabase() }),
    placeholder: () => '?',
    uniqueViolationCode: 'ER_DUP_ENTRY',
    streams: { missingTableCode: 'ER_NO_SUCH_TABLE' },
  });
}
