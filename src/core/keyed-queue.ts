/**
 * Runs tasks one after another per key (a family), and freely across keys: one family's turns
 * and sends never interleave, different families never wait for each other.
 * @example const queue = createKeyedQueue(); await queue.run(familyId, () => send(…));
 */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return {
    /** Runs `task` after every earlier task of `key` has settled (whether it failed or not). */
    run<T>(key: string, task: () => Promise<T>): Promise<T> {
      const previous = tails.get(key) ?? Promise.resolve();
      const next = previous.then(task, task);
      const settled = next.catch(() => undefined);
      tails.set(key, settled);
      void settled.then(() => {
        if (tails.get(key) === settled) tails.delete(key);
      });
      return next;
    },
    /** Resolves once every task under way has finished. */
    async idle(): Promise<void> {
      while (tails.size > 0) await Promise.all([...tails.values()]);
    },
  };
}
