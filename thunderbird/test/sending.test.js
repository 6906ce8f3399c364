import assert from "node:assert/strict";
import { test } from "node:test";
import { canAddBcc, decision, isRemembered, needsWarning, remember, threadKeys, warningHeadline } from "../lib/sending.js";
import { translator } from "./messages.js";

const answer = { ok: true, logged: false, reason: "not_a_contact", bcc_address: "123@bcc.hubspot.example",
  thread: { key: null, subject_key: "intro" } };

test("an email the CRM won't log and that has a fix is warned about", () => {
  assert.equal(needsWarning(answer, []), true);
  assert.equal(needsWarning({ ...answer, logged: true, reason: "bcc_address" }, []), false);
  assert.equal(needsWarning({ ...answer, reason: "internal" }, []), false);
  assert.equal(needsWarning({ ...answer, reason: "never_log" }, []), false);
  assert.equal(needsWarning({ ok: false, error: { code: "not_connected" } }, []), false);
  assert.equal(needsWarning(null, []), false);
});

test("don't ask again remembers the thread by its key and its subject", () => {
  const reply = { ...answer, thread: { key: "<m1@x>", subject_key: "pilot" } };
  assert.deepEqual(threadKeys(reply), ["id:<m1@x>", "subject:pilot"]);
  const kept = remember([], reply);
  assert.equal(isRemembered(reply, kept), true);
  assert.equal(needsWarning(reply, kept), false);
  assert.equal(needsWarning({ ...answer, thread: { key: null, subject_key: "pilot" } }, kept), false);
  assert.equal(needsWarning({ ...answer, thread: { key: "<other@x>", subject_key: "other" } }, kept), true);
  assert.deepEqual(remember(kept, reply), kept, "nothing twice");
  assert.equal(remember(Array.from({ length: 600 }, (_, i) => `subject:${i}`), reply).length, 500);
});

test("each choice of the warning answers onBeforeSend", () => {
  assert.deepEqual(decision("send", answer, []), {});
  assert.deepEqual(decision("cancel", answer, []), { cancel: true });
  assert.deepEqual(decision(undefined, answer, []), { cancel: true }, "a closed warning cancels");
  assert.deepEqual(decision("bcc", answer, ["a@b.example"]), { details: { bcc: ["a@b.example", "123@bcc.hubspot.example"] } });
  assert.deepEqual(decision("bcc", answer, ["123@BCC.hubspot.example"]), {});
  assert.deepEqual(decision("bcc", { ...answer, bcc_address: null }, []), { cancel: true });
  assert.equal(canAddBcc({ ...answer, bcc_address: null }), false);
});

test("the warning says why in the rep's language", () => {
  assert.equal(warningHeadline(answer, translator("en")), "This email won't be logged: nobody on it is a contact.");
  assert.equal(warningHeadline(answer, translator("fr")), "Cet e-mail ne sera pas consigné : personne dessus n'est un contact.");
});
