import { AsyncLocalStorage } from "node:async_hooks";
import type { OpportunityStore } from "../opportunities/store.ts";
import type { Store } from "../store/store.ts";

/**
 * A Store that forwards to the store of the request being served (Workers: one Redis
 * connection per request, never shared), so the app, pipeline and channels can be built once
 * per isolate. Run each request inside `run(store, fn)`.
 */
export function createRequestStore(): Store & {
  run<T>(store: Store, fn: () => Promise<T>): Promise<T>;
} {
  const current = new AsyncLocalStorage<Store>();
  const store = (): Store => {
    const s = current.getStore();
    if (!s) throw new Error("no store for this request");
    return s;
  };
  const o = () => store().opportunities;
  const opportunities: OpportunityStore = {
    create: (input, by) => o().create(input, by),
    get: (id) => o().get(id),
    update: (id, patch, by) => o().update(id, patch, by),
    remove: (id, by) => o().remove(id, by),
    upcoming: (now, limit) => o().upcoming(now, limit),
    near: (q) => o().near(q),
    record: (entry) => o().record(entry),
    audit: (limit) => o().audit(limit),
    setArea: (id, area) => o().setArea(id, area),
    familiesNear: (q) => o().familiesNear(q),
  };
  return {
    opportunities,
    run: (s, fn) => current.run(s, fn),
    loadFamily: (id) => store().loadFamily(id),
    saveFamily: (id, state, opts) => store().saveFamily(id, state, opts),
    deleteFamily: (id) => store().deleteFamily(id),
    firstSeen: (key, ttl) => store().firstSeen(key, ttl),
    claimAndLoad: (dedupe, id) => store().claimAndLoad(dedupe, id),
    setTipDue: (id, due) => store().setTipDue(id, due),
    dueTips: (at, limit) => store().dueTips(at, limit),
    moveTipDue: (id, from, to) => store().moveTipDue(id, from, to),
    tipsScheduled: () => store().tipsScheduled(),
    markDone: (key, ttl) => store().markDone(key, ttl),
    saveBroadcast: (b) => store().saveBroadcast(b),
    loadBroadcast: (id) => store().loadBroadcast(id),
    countBroadcast: (id, add) => store().countBroadcast(id, add),
    setReminder: (f, o, at) => store().setReminder(f, o, at),
    takeDueReminders: (at, limit) => store().takeDueReminders(at, limit),
    isDone: (key) => store().isDone(key),
    ping: () => store().ping(),
    close: async () => {},
  };
}
