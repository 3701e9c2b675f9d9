export interface ConcurrencyLimitOptions {
  /** At most this many calls run at once. */
  max: number;
  /** At most this many wait for a turn; one more is refused at once. */
  queue: number;
  /** A call still waiting after this long is refused. */
  maxWaitMs: number;
  /** What a refused call throws: a coded 503 whose details carry `retryAfterSeconds`. */
  refuse(why: 'queue full' | 'waited too long'): Error;
}

export interface ConcurrencyLimit {
  /** Runs `work` when a turn is free (first come, first served), or throws the refusal. */
  run<T>(work: () => Promise<T>): Promise<T>;
  readonly running: number;
  readonly waiting: number;
}

interface Waiter {
  start(): void;
  timer: NodeJS.Timeout;
}

/**
 * A bound on how many expensive calls (searches, period reports) hold database connections at once, so that a crowd
 * of them cannot take every connection of the pool the cheap calls share: the rest wait briefly in a short queue and
 * are then refused, rather than piling up behind the pool until its connection timeout.
 */
export function createConcurrencyLimit(options: ConcurrencyLimitOptions): ConcurrencyLimit {
  let running = 0;
  const waiting: Waiter[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next === undefined) {
      running -= 1;
      return;
    }
    // The turn passes straight to the next waiter: `running` stays as it is.
    clearTimeout(next.timer);
    next.start();
  };

  const turn = (): Promise<void> => {
    if (running < options.max) {
      running += 1;
      return Promise.resolve();
    }
    if (waiting.length >= options.queue) return Promise.reject(options.refuse('queue full'));
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        start: resolve,
        timer: setTimeout(() => {
          waiting.splice(waiting.indexOf(waiter), 1);
          reject(options.refuse('waited too long'));
        }, options.maxWaitMs),
      };
      waiting.push(waiter);
    });
  };

  return {
    async run(work) {
      await turn();
      try {
        return await work();
      } finally {
        release();
      }
    },
    get running() {
      return running;
    },
    get waiting() {
      return waiting.length;
    },
  };
}
