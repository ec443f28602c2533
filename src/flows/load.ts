import type { SourceDoc } from "../catalog/catalog.ts";
import { type Flow, flowSchema, type Step } from "./schema.ts";

/** Flows by id, with the flow each keyword starts. */
export interface Flows {
  byId: ReadonlyMap<string, Flow>;
  triggers: ReadonlyMap<string, string>;
}

export class FlowError extends Error {
  override name = "FlowError";
}

/** A step's id, or its position when it has none. */
export const stepName = (step: Step, index: number) => step.id ?? `#${index + 1}`;

/** Every i18n key a flow uses (for the content check). */
export function flowKeys(flow: Flow): string[] {
  const keys: string[] = [];
  for (const s of flow.steps) {
    if ("text" in s) keys.push(s.text);
    if ("retry" in s) keys.push(s.retry);
    if ("intro" in s && s.intro) keys.push(s.intro);
    if ("choices" in s && Array.isArray(s.choices)) keys.push(...s.choices.map((c) => c.label));
  }
  return keys;
}

function checkFlow(flow: Flow, file: string, all: ReadonlyMap<string, Flow>): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  flow.steps.forEach((s, _i) => {
    if (s.id && ids.has(s.id)) problems.push(`${file}: step ${s.id}: id used twice`);
    if (s.id) ids.add(s.id);
  });
  flow.steps.forEach((s, i) => {
    const name = stepName(s, i);
    const target = (t: string | undefined, what: string) => {
      if (t !== undefined && !ids.has(t))
        problems.push(`${file}: step ${name}: ${what} goes to unknown step "${t}"`);
    };
    if ("next" in s) target(s.next, "next");
    if (s.type === "branch") {
      for (const [value, t] of Object.entries(s.cases)) target(t, `case "${value}"`);
      target(s.else, "else");
    }
    if ((s.type === "ask" || s.type === "suggest") && s.on) {
      const offered = Array.isArray(s.choices) ? new Set(s.choices.map((c) => c.id)) : undefined;
      for (const [choice, t] of Object.entries(s.on)) {
        target(t, `on "${choice}"`);
        if (offered && !offered.has(choice))
          problems.push(`${file}: step ${name}: on "${choice}" is not one of its choices`);
      }
    }
    if (s.type === "ask" && s.answer === "choice" && !s.choices)
      problems.push(`${file}: step ${name}: a choice question needs choices`);
    if (s.type === "goto") {
      const to = all.get(s.flow);
      if (!to) problems.push(`${file}: step ${name}: goto unknown flow "${s.flow}"`);
      else if (s.step && !to.steps.some((t) => t.id === s.step))
        problems.push(`${file}: step ${name}: flow "${s.flow}" has no step "${s.step}"`);
    }
  });
  return problems;
}

/**
 * Validates flow files (schema, then every step target, goto and choice) and indexes them.
 * Throws a FlowError naming the file, the step and what is wrong.
 */
export function loadFlows(docs: readonly SourceDoc[]): Flows {
  const problems: string[] = [];
  const parsed: Array<{ file: string; flow: Flow }> = [];
  for (const doc of docs) {
    const r = flowSchema.safeParse(doc.data);
    if (!r.success) {
      for (const issue of r.error.issues.slice(0, 10)) {
        const [, index, ...rest] = issue.path;
        const steps = (doc.data as { steps?: Array<{ id?: string }> } | null)?.steps;
        const where =
          issue.path[0] === "steps" && typeof index === "number"
            ? `step ${steps?.[index]?.id ?? `#${index + 1}`}${rest.length ? ` ${rest.map(String).join(".")}` : ""}`
            : issue.path.map(String).join(".") || "file";
        problems.push(`${doc.file}: ${where}: ${issue.message}`);
      }
      continue;
    }
    const expected = doc.file.replace(/^.*\//, "").replace(/\.ya?ml$/, "");
    if (r.data.id !== expected)
      problems.push(`${doc.file}: id "${r.data.id}" must match the file name "${expected}"`);
    parsed.push({ file: doc.file, flow: r.data });
  }
  const byId = new Map(parsed.map((p) => [p.flow.id, p.flow]));
  const triggers = new Map<string, string>();
  for (const { file, flow } of parsed) {
    problems.push(...checkFlow(flow, file, byId));
    if (flow.trigger) {
      if (triggers.has(flow.trigger))
        problems.push(
          `${file}: trigger "${flow.trigger}" is already used by ${triggers.get(flow.trigger)}`,
        );
      triggers.set(flow.trigger, flow.id);
    }
  }
  for (const needed of ["onboarding", "idea"])
    if (!byId.has(needed)) problems.push(`flows: the "${needed}" flow is missing`);
  if (problems.length > 0) throw new FlowError(problems.join("\n"));
  return { byId, triggers };
}
