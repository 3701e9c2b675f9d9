import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import { PostgresUnavailable } from './errors.ts';
import { embeddedBinaries, prepareDirectory } from './postgres.ts';

const execFileAsync = promisify(execFile);

export interface DedicatedPostgresOptions {
  /** Holds the data directory and the server's log; made when missing. */
  dir: string;
  /** A free TCP port on 127.0.0.1. */
  port: number;
}

/**
 * A PostgreSQL server of its own that a test may stop, crash and start again, never the machine's shared one. Trust
 * authentication as `postgres`, listening on 127.0.0.1 only.
 */
export interface DedicatedPostgres {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Starts the server (again) and resolves once it accepts connections (after crash recovery, if any). */
  start(): Promise<void>;
  /**
   * `fast` ends every session (SQLSTATE 57P01) and checkpoints; `immediate` drops everything at once, as a power cut
   * would for the clients, and the next start recovers from the WAL. Resolves once the server is gone.
   */
  stop(mode: 'fast' | 'immediate'): Promise<void>;
  /** SIGKILL to the postmaster, as a crash; resolves once its backends are gone too, so `start()` may follow. */
  kill(): Promise<void>;
  /** Stops the server if it runs and deletes `dir`. */
  remove(): Promise<void>;
}

/** Makes the cluster in `dir` when it is not there yet (initdb), starts it on `port`, and resolves once it answers. */
export async function startDedicatedPostgres(options: DedicatedPostgresOptions): Promise<DedicatedPostgres> {
  const dir = path.resolve(options.dir);
  const data = path.join(dir, 'data');
  const bin = embeddedBinaries();
  prepareDirectory(dir);
  if (!existsSync(path.join(data, 'PG_VERSION'))) {
    prepareDirectory(data);
    await asPostgres(bin.initdb, [
      '-D',
      data,
      '-U',
      'postgres',
      '--auth=trust',
      '-E',
      'UTF8',
      '--no-locale',
      '--no-sync',
    ]);
  }
  // fsync off: these servers are stopped and killed, never the machine under them, and a test's commits wait on
  // nothing else. A crash of the postmaster still loses nothing a commit acknowledged.
  // No Unix socket: its lock file would outlive a killed postmaster and refuse the next start.
  const serverOptions = `-p ${options.port} -h 127.0.0.1 -k '' -c fsync=off -c max_connections=200`;
  const pgCtl = (args: string[]) => asPostgres(bin.pg_ctl, ['-D', data, ...args]);

  const server: DedicatedPostgres = {
    url: `postgresql://postgres@127.0.0.1:${options.port}/postgres`,
    port: options.port,
    async start() {
      await pgCtl(['-l', path.join(dir, 'postgres.log'), '-o', serverOptions, '-w', '-t', '120', 'start']);
    },
    async stop(mode) {
      await pgCtl(['-m', mode, '-w', '-t', '120', 'stop']);
    },
    async kill() {
      const postmaster = postmasterPid(data);
      if (postmaster === null) throw PostgresUnavailable(`no server runs in ${data} to kill`);
      const backends = childrenOf(postmaster);
      process.kill(postmaster, 'SIGKILL');
      // Backends notice their postmaster's death and exit; a start while one still holds the shared memory fails.
      await waitUntilGone([postmaster, ...backends], 60_000);
      // The lock file is stale now, but a postmaster not reaped yet (a zombie) would still pass PostgreSQL's
      // liveness check of the pid in it, and the next start would refuse to run.
      rmSync(path.join(data, 'postmaster.pid'), { force: true });
    },
    async remove() {
      if (postmasterPid(data) !== null) await server.stop('immediate').catch(() => {});
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await server.start();
  return server;
}

/** PostgreSQL refuses to run as root: as root, its tools run as the `postgres` user. */
async function asPostgres(command: string, args: string[]): Promise<void> {
  const [file, argv] =
    process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  try {
    await execFileAsync(file, argv, { maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw PostgresUnavailable(
      `${path.basename(command)} ${args.at(-1)} failed: ${failed.stderr || failed.stdout || failed.message}`,
    );
  }
}

/** The running postmaster's pid (first line of postmaster.pid), or null when none runs. */
function postmasterPid(data: string): number | null {
  const file = path.join(data, 'postmaster.pid');
  if (!existsSync(file)) return null;
  const pid = Number.parseInt(readFileSync(file, 'utf8').split('\n')[0] ?? '', 10);
  return Number.isInteger(pid) && pid > 0 && isAlive(pid) ? pid : null;
}

function childrenOf(parent: number): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => statOf(pid)?.ppid === parent);
}

/** A zombie counts as gone: nothing may reap a postmaster that pg_ctl left to init. */
function isAlive(pid: number): boolean {
  const stat = statOf(pid);
  return stat !== undefined && stat.state !== 'Z';
}

function statOf(pid: number): { state: string; ppid: number } | undefined {
  try {
    // /proc/<pid>/stat: pid (comm) state ppid ...; the command name may hold spaces, so read after its ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const [state = '', ppid = ''] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state, ppid: Number(ppid) };
  } catch {
    return undefined;
  }
}

async function waitUntilGone(pids: number[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline)
      throw PostgresUnavailable(`processes ${pids.filter(isAlive).join(', ')} still run after the kill`);
    await sleep(50);
  }
}
