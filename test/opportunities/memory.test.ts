import { createMemoryOpportunityStore } from "../../src/opportunities/memory.ts";
import { opportunityStoreContract } from "./contract.ts";

opportunityStoreContract("memory", async () => ({ store: createMemoryOpportunityStore() }));
