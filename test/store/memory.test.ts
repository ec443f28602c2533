import { createMemoryStore } from "../../src/store/memory.ts";
import { storeContract } from "./contract.ts";

storeContract("memory", async () => {
  let now = 1_000_000;
  const store = createMemoryStore({ now: () => now });
  return {
    store,
    async advance(seconds) {
      now += seconds * 1000;
    },
    async keysContaining(text) {
      return store.keys().filter((k) => k.includes(text));
    },
  };
});
