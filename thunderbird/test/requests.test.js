import assert from "node:assert/strict";
import { test } from "node:test";
import { accountOf, detailsOf, headerOf, signature, strings } from "../lib/requests.js";

test("a header keeps what the rules read and nothing else", () => {
  const header = headerOf({ id: 4, headerMessageId: "m1@x", author: "Sam <sam@x>", recipients: ["a@b"], ccList: [],
    bccList: [], subject: "Hi", date: new Date("2026-11-26T09:30:00Z"), size: 99, tags: ["$label1"],
    folder: { accountId: "account1", path: "/INBOX", specialUse: ["inbox"], type: "inbox" } });
  assert.deepEqual(header, { headerMessageId: "m1@x", author: "Sam <sam@x>", recipients: ["a@b"], ccList: [], bccList: [],
    subject: "Hi", date: "2026-11-26T09:30:00.000Z", folder: { specialUse: ["inbox"], type: "inbox" } });
});

test("compose details lose the body and keep mailbox strings only", () => {
  const details = detailsOf({ from: "Mia <mia@x>", to: ["a@b", { nodeId: "abc", type: "contact" }, " "], cc: "c@d",
    bcc: [], subject: "S", body: "<p>secret</p>", type: "reply" });
  assert.deepEqual(details, { from: "Mia <mia@x>", subject: "S", type: "reply", to: ["a@b"], cc: ["c@d"], bcc: [] });
  assert.deepEqual(strings(undefined), []);
});

test("an account is its name and its identities' addresses", () => {
  assert.deepEqual(accountOf({ name: "Work", identities: [{ email: "mia@x" }, { email: "" }] }), { name: "Work", identities: ["mia@x"] });
  assert.deepEqual(accountOf(null), { name: "", identities: [] });
});

test("the signature changes with recipients and subject, not with the body", () => {
  const base = { to: ["a@b"], subject: "S", body: "1" };
  assert.equal(signature(base), signature({ ...base, body: "2" }));
  assert.notEqual(signature(base), signature({ ...base, to: ["a@b", "c@d"] }));
  assert.notEqual(signature(base), signature({ ...base, subject: "T" }));
});
