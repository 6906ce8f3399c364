import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { REASONS } from "../lib/verdict.js";
import { catalogue } from "./messages.js";

const en = catalogue("en");
const fr = catalogue("fr");
const placeholders = entry => Object.keys(entry.placeholders || {}).sort().join(",");

test("French has every English message, with the same placeholders, and no English left", () => {
  assert.deepEqual(Object.keys(fr).sort(), Object.keys(en).sort());
  for (const key of Object.keys(en)) {
    assert.equal(placeholders(fr[key]), placeholders(en[key]), key);
    const same = fr[key].message === en[key].message;
    assert.ok(!same || ["extensionName", "kind_contact", "field_cc", "reason_log_all_contact"].includes(key), `${key} is not translated`);
  }
});

test("every key the code asks for exists", () => {
  const needed = ["sentenceWill", "sentenceWont", "labelWill", "labelWont", ...REASONS.flatMap(r => [`why_${r}`, `reason_${r}`])];
  const sources = ["background.js", "lib/verdict.js", "lib/render.js", "lib/sending.js", "popup/message.js", "popup/compose.js", "popup/warn.js"]
    .map(f => readFileSync(new URL(`../${f}`, import.meta.url), "utf8")).join("\n");
  for (const [, key] of sources.matchAll(/\bt\("([A-Za-z_]+)"/g)) needed.push(key);
  for (const key of needed) assert.ok(en[key], `missing message ${key}`);
  const manifest = readFileSync(new URL("../manifest.json", import.meta.url), "utf8");
  for (const [, key] of manifest.matchAll(/__MSG_([A-Za-z_]+)__/g)) assert.ok(en[key], `manifest needs ${key}`);
});
