import type { Outbound } from "../../core/types.ts";

/** A message as the terminal shows it: the text, then each choice on a numbered line. */
export function renderForConsole(message: Outbound): string {
  const lines = [message.text];
  (message.choices ?? []).forEach((c, i) => {
    lines.push(`  ${i + 1}. ${c.label}`);
  });
  return lines.join("\n");
}
