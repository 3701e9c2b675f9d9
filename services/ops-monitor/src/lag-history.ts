import type { LagStatus } from './burrow.ts';
import type { LagSnapshot } from './lag.ts';

/** One sample of every group, reduced to what a chart of lag over time needs. */
export interface LagPoint {
  at: string;
  groups: { groupId: string; status: LagStatus; totalLag: number; maxLagSeconds: number }[];
}

export interface LagHistory {
  add(snapshot: LagSnapshot): void;
  /** Oldest first. */
  points(): readonly LagPoint[];
}

/** The last `size` samples, in memory: the dashboard's lag chart without Prometheus. */
export function createLagHistory(size: number): LagHistory {
  const kept: LagPoint[] = [];
  return {
    add(snapshot) {
      kept.push({
        at: new Date(snapshot.at).toISOString(),
        groups: snapshot.groups.map((group) => ({
          groupId: group.groupId,
          status: group.status,
          totalLag: Number(group.totalLag),
          maxLagSeconds: group.maxLagMs / 1000,
        })),
      });
      if (kept.length > size) kept.splice(0, kept.length - size);
    },
    points: () => kept,
  };
}
