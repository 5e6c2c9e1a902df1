// A team hub of its own for one test file or one figures run: a fresh PostgreSQL database on the
// cluster at ENDUSE_TEST_DATABASE_URL, `enduse-hub init` on it, and `enduse-hub serve`.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const PG = process.env.ENDUSE_TEST_DATABASE_URL;

/** Why no hub can be started here (no PostgreSQL cluster), or false: a test's `skip`. */
export const noPostgres = PG ? false : 'ENDUSE_TEST_DATABASE_URL is not set (run scripts/pg.sh start)';

/** The `enduse-hub` binary beside the CLI binary `cli`. */
export const hubBeside = (cli) => join(dirname(cli), 'enduse-hub');

/** `url` (a PostgreSQL URL) pointing at the database `name` instead, query kept. */
function withDatabase(url, name) {
  const [head, query] = url.split('?');
  return `${head.slice(0, head.lastIndexOf('/'))}/${name}${query ? `?${query}` : ''}`;
}

/**
 * Creates the database `name` afresh on the cluster, initialises a hub on it with the binary `bin` and
 * serves it on a free port. Returns the hub: `url`, `child` (the serving process), `cli(...args)`,
 * `add(name, email, role)` (a member; their join code), and `serve(listen)` to serve it again
 * after `child` was stopped.
 */
export async function startHub(bin, name) {
  execFileSync('psql', [PG, '-q', '-c', `DROP DATABASE IF EXISTS ${name}`, '-c', `CREATE DATABASE ${name}`]);
  const dbUrl = withDatabase(PG, name);
  const cli = (...args) => execFileSync(bin, args, { encoding: 'utf8', env: { ...process.env, DATABASE_URL: dbUrl } });
  const serve = (listen) =>
    new Promise((res, rej) => {
      const child = spawn(bin, ['serve', '--database-url', dbUrl, '--listen', listen], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d) => {
        out += d;
        const m = out.match(/listening on (\S+)/);
        if (m) res({ child, url: m[1] });
      });
      child.on('exit', (code) => rej(new Error(`enduse-hub serve exited (${code})`)));
    });
  cli('init');
  const { child, url } = await serve('127.0.0.1:0');
  const add = (n, email, role) => JSON.parse(cli('user', 'add', '--name', n, '--email', email, '--role', role, '--json')).code;
  return { url, child, cli, add, serve };
}

/** The CLI `cli` on a database of its own (a teammate's laptop), keys in a file. */
export function laptop(cli, name) {
  const db = join(mkdtempSync(join(tmpdir(), `enduse-e2e-${name}-`)), `${name}.db`);
  return (...args) => execFileSync(cli, ['--db', db, ...args], { encoding: 'utf8', env: { ...process.env, ENDUSE_KEY_STORE: 'file' } });
}
