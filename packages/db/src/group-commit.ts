export interface GroupCommit<T> {
  /** Resolves once the item's batch is written (committed), or rejects with that batch's error. */
  submit(item: T): Promise<void>;
}

/**
 * Group commit: items that arrive while a write is in flight go out together in the next one (one statement, one
 * commit), so at a high rate a commit carries many items instead of one each, and nobody waits on a timer.
 */
export function createGroupCommit<T>(write: (batch: T[]) => Promise<void>, maxBatch = 500): GroupCommit<T> {
  let pending: { item: T; done: () => void; failed: (error: unknown) => void }[] = [];
  let writing = false;

  async function drain(): Promise<void> {
    writing = true;
    while (pending.length > 0) {
      const batch = pending.slice(0, maxBatch);
      pending = pending.slice(batch.length);
      try {
        await write(batch.map(({ item }) => item));
        for (const waiting of batch) waiting.done();
      } catch (error) {
        for (const waiting of batch) waiting.failed(error);
      }
    }
    writing = false;
  }

  return {
    submit(item) {
      return new Promise((resolve, reject) => {
        pending.push({ item, done: resolve, failed: reject });
        if (!writing) void drain();
      });
    },
  };
}
