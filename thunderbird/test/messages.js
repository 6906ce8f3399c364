// messenger.i18n.getMessage over the add-in's own _locales files, for tests.
import { readFileSync } from "node:fs";

export function translator(lang) {
  const url = new URL(`../_locales/${lang}/messages.json`, import.meta.url);
  const messages = JSON.parse(readFileSync(url, "utf8"));
  return (key, ...subs) => {
    const entry = messages[key];
    if (!entry) return "";
    return entry.message.replace(/\$([A-Za-z_]+)\$/g, (_, name) => {
      const holder = (entry.placeholders || {})[name.toLowerCase()];
      const index = holder ? Number(holder.content.slice(1)) - 1 : -1;
      return index >= 0 && index < subs.length ? String(subs[index]) : "";
    });
  };
}

export function catalogue(lang) {
  return JSON.parse(readFileSync(new URL(`../_locales/${lang}/messages.json`, import.meta.url), "utf8"));
}
