/**
 * `npm run setup:telegram`: points Telegram at this deployment's webhook
 * (PUBLIC_URL + /webhooks/telegram) with the secret token and the updates Sprout handles.
 */
import { Api } from "grammy";
import { ALLOWED_UPDATES } from "../channels/telegram/index.ts";
import { ConfigError, loadConfig } from "../config.ts";

async function main() {
  const config = loadConfig(process.env);
  const missing = (["TELEGRAM_BOT_TOKEN", "TELEGRAM_WEBHOOK_SECRET", "PUBLIC_URL"] as const).filter(
    (k) => !config[k],
  );
  if (missing.length > 0)
    throw new ConfigError(missing.map((k) => `${k}: is required to set the webhook`));
  const api = new Api(config.TELEGRAM_BOT_TOKEN as string, { apiRoot: config.TELEGRAM_API_ROOT });
  const url = new URL("/webhooks/telegram", config.PUBLIC_URL).toString();
  await api.setWebhook(url, {
    secret_token: config.TELEGRAM_WEBHOOK_SECRET,
    allowed_updates: [...ALLOWED_UPDATES],
  });
  const me = await api.getMe();
  console.log(`Telegram will send @${me.username}'s updates to ${url}`);
}

main().catch((err) => {
  console.error(
    err instanceof ConfigError ? err.message : `setup:telegram failed: ${(err as Error).message}`,
  );
  process.exitCode = 1;
});
