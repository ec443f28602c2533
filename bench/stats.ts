/** Timing helpers for `npm run bench`: run a function many times, report p50 / p99 / per second. */
export interface Figures {
  name: string;
  n: number;
  p50: number;
  p99: number;
  perSecond: number;
}

const ms = (ns: bigint) => Number(ns) / 1e6;

/** Times `fn` `n` times after `warmup` runs; figures in milliseconds. */
export async function measure(
  name: string,
  n: number,
  fn: (i: number) => unknown,
  warmup = Math.min(200, n),
): Promise<Figures> {
  for (let i = 0; i < warmup; i++) await fn(i);
  const times: number[] = new Array(n);
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    await fn(i);
    times[i] = ms(process.hrtime.bigint() - t0);
  }
  const total = ms(process.hrtime.bigint() - start);
  times.sort((a, b) => a - b);
  const at = (q: number) => times[Math.min(n - 1, Math.floor(q * n))] as number;
  return { name, n, p50: at(0.5), p99: at(0.99), perSecond: (n / total) * 1000 };
}

const f = (x: number) => (x < 0.01 ? x.toFixed(4) : x < 1 ? x.toFixed(3) : x.toFixed(2));

/** Prints a figure and its ratio to a baseline measured in the same run. */
export function report(subject: Figures, baseline: Figures) {
  console.log(
    `${subject.name.padEnd(44)} p50 ${f(subject.p50)} ms  p99 ${f(subject.p99)} ms  ${Math.round(subject.perSecond)}/s` +
      `  | baseline ${baseline.name}: p50 ${f(baseline.p50)} ms  ratio p50 ${(subject.p50 / baseline.p50).toFixed(1)}x`,
  );
}
