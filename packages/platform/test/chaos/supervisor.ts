import type { ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import type { ServicePackage } from '../../src/services.ts';
import { signalGroup, spawnService } from '../../src/services.ts';

/**
 * The platform's services as the chaos run starts them, each in its own process group: killed (SIGKILL) and
 * restarted, paused (SIGSTOP/SIGCONT) past its consumer session, and watched. A service that exits when the suite
 * did not kill it is restarted as an orchestrator would, and counted: degrade, do not die.
 */
export interface Instance {
  /** e.g. `aggregator` or `aggregator#2`. */
  id: string;
  service: ServicePackage;
  port: number;
}

export interface Supervisor {
  readonly instances: readonly Instance[];
  start(): void;
  kill(id: string): Promise<void>;
  /** SIGKILLs one of the gateway's cluster workers (the primary forks another). */
  killGatewayWorker(): Promise<boolean>;
  pause(id: string, ms: number): Promise<void>;
  /** Every instance answered ready: from now on an exit of its own is a death, not a failed start. */
  markReady(): void;
  /** Exits the suite did not cause, of instances that had been ready (died while serving) or not (failed to start). */
  unexpectedExits(): { id: string; code: number | null; signal: string | null; serving: boolean }[];
  stop(): Promise<void>;
}

export function createSupervisor(
  instances: Instance[],
  envFor: (instance: Instance) => NodeJS.ProcessEnv,
  logFd: number,
): Supervisor {
  const children = new Map<string, ChildProcess>();
  const killing = new Set<string>();
  const unexpected: { id: string; code: number | null; signal: string | null; serving: boolean }[] = [];
  const serving = new Set<string>();
  let stopping = false;

  const launch = (instance: Instance) => {
    const child = spawnService(instance.service, envFor(instance), ['ignore', logFd, logFd]);
    children.set(instance.id, child);
    serving.delete(instance.id);
    child.once('exit', (code, signal) => {
      if (stopping || killing.has(instance.id)) return;
      unexpected.push({ id: instance.id, code, signal, serving: serving.has(instance.id) });
      launch(instance);
    });
  };
  const byId = (id: string) => {
    const child = children.get(id);
    if (!child) throw new Error(`chaos: no service instance ${id}`);
    return child;
  };
  const exited = (child: ChildProcess) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    instances,
    start() {
      for (const instance of instances) launch(instance);
    },
    async kill(id) {
      const child = byId(id);
      killing.add(id);
      signalGroup(child, 'SIGKILL');
      await exited(child);
      killing.delete(id);
      launch(instances.find((instance) => instance.id === id)!);
    },
    async killGatewayWorker() {
      const gateway = instances.find((instance) => instance.service.short === 'ingest-gateway');
      const pid = gateway ? children.get(gateway.id)?.pid : undefined;
      const worker = pid === undefined ? undefined : clusterWorkers(pid)[0];
      if (worker === undefined) return false;
      process.kill(worker, 'SIGKILL');
      return true;
    },
    async pause(id, ms) {
      const child = byId(id);
      signalGroup(child, 'SIGSTOP');
      // The pause is the fault: a consumer frozen past its session timeout while it holds a batch.
      await new Promise((resolve) => setTimeout(resolve, ms));
      signalGroup(child, 'SIGCONT');
    },
    markReady() {
      for (const instance of instances) serving.add(instance.id);
    },
    unexpectedExits: () => [...unexpected],
    async stop() {
      stopping = true;
      await Promise.all(
        [...children.values()].map(async (child) => {
          if (!signalGroup(child, 'SIGTERM')) return;
          const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 15_000);
          await exited(child);
          clearTimeout(timer);
        }),
      );
    },
  };
}

/** The cluster workers under a gateway started with pnpm. */
function clusterWorkers(rootPid: number): number[] {
  const table = execFileSync('ps', ['-e', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), args: match[3]! }));
  const descendants = new Set<number>([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const row of table) {
      if (descendants.has(row.ppid) && !descendants.has(row.pid)) {
        descendants.add(row.pid);
        grew = true;
      }
    }
  }
  // tsx runs the primary as a child of its own CLI, so the workers are the leaves: main.ts processes whose parent
  // runs main.ts and that have no main.ts child of their own.
  const mains = table.filter((row) => descendants.has(row.pid) && row.args.includes('src/main.ts'));
  const mainPids = new Set(mains.map((row) => row.pid));
  const parents = new Set(mains.map((row) => row.ppid));
  return mains.filter((row) => mainPids.has(row.ppid) && !parents.has(row.pid)).map((row) => row.pid);
}
