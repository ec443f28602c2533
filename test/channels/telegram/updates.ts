import { fixture } from "../../helpers/fixtures.ts";

/** Fresh per run: update ids are remembered (dedupe) in a shared Redis across runs. */
let nextUpdateId = 100_000_000 + Math.floor(Math.random() * 800_000_000);

interface From {
  id: number;
  language_code?: string;
}

const user = (from: From) => ({
  id: from.id,
  is_bot: false,
  first_name: "Test",
  language_code: from.language_code,
});
const privateChat = (from: From) => ({ id: from.id, type: "private", first_name: "Test" });

/** A private text message update (shaped like fixtures/telegram/update-text.json), with a fresh update_id. */
export function textUpdate(from: From, text: string) {
  const base = fixture<{ message: Record<string, unknown> }>("telegram/update-text.json");
  return {
    update_id: nextUpdateId++,
    message: {
      ...base.message,
      message_id: nextUpdateId,
      from: user(from),
      chat: privateChat(from),
      text,
    },
  };
}

/** A button press (shaped like fixtures/telegram/update-callback-query.json). */
export function callbackUpdate(from: From, data: string) {
  const base = fixture<{
    callback_query: Record<string, unknown> & { message: Record<string, unknown> };
  }>("telegram/update-callback-query.json");
  return {
    update_id: nextUpdateId++,
    callback_query: {
      ...base.callback_query,
      id: `cb${nextUpdateId}`,
      from: user(from),
      message: { ...base.callback_query.message, chat: privateChat(from) },
      data,
    },
  };
}

/** A fixture update with a fresh update_id and this user (for photo, location, edited, group…). */
export function fixtureUpdate(name: string, from: From) {
  const u = fixture<Record<string, Record<string, unknown>>>(`telegram/${name}.json`);
  for (const key of ["message", "edited_message"]) {
    const m = u[key];
    if (m) {
      m.from = user(from);
      if ((m.chat as { type: string }).type === "private") m.chat = privateChat(from);
    }
  }
  const member = u.my_chat_member;
  if (member) {
    member.from = user(from);
    member.chat = privateChat(from);
  }
  return { ...u, update_id: nextUpdateId++ };
}
