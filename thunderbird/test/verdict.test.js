import assert from "node:assert/strict";
import { test } from "node:test";
import { REASONS, TONES, actionsOf, advisoryOf, attributionOf, buttonOf, peopleOf, sentence, toneOf } from "../lib/verdict.js";
import { translator } from "./messages.js";

const en = translator("en");
const fr = translator("fr");
const notAContact = {
  ok: true, logged: false, reason: "not_a_contact", tone: "needs_action", sentence: "Won't be logged: nobody on it is a contact.",
  attribution: null, attributed_to_name: null,
  people: [{ field: "from", email: "sam@new.example", name: "Sam", kind: "unknown", never_log: false },
    { field: "to", email: "mia@globex.example", name: "Mia Rossi", kind: "user", never_log: false }],
  actions: [{ action: "log_now", available: true }, { action: "create_contact", available: false, why_not: "sync first" }],
};

test("the sentence is the host's own words in English, for every reason", () => {
  assert.equal(sentence(notAContact, en), notAContact.sentence);
  for (const reason of REASONS) {
    for (const logged of [true, false]) {
      const text = sentence({ ok: true, logged, reason }, en);
      assert.match(text, /^(Will|Won't) be logged: [a-z].*\.$/, `${reason}: ${text}`);
      assert.match(sentence({ ok: true, logged, reason }, fr), /^(Sera|Ne sera pas) consigné : .+\.$/);
    }
  }
});

test("the button has the tone's icon, glyph and colour, and words in its label", () => {
  const button = buttonOf(notAContact, en);
  assert.deepEqual([button.tone, button.icon, button.badgeText, button.badgeBackgroundColor],
    ["needs_action", "icons/needs_action.svg", "!", TONES.needs_action.badge]);
  assert.equal(button.label, "Won't log: Not a contact");
  assert.equal(button.title, notAContact.sentence);
  assert.equal(buttonOf({ ...notAContact, logged: true, reason: "thread_reply", tone: "will_log" }, fr).label, "Consigné : Réponse au fil");
  assert.equal(buttonOf(null, en).tone, "pending");
});

test("an unknown account asks to connect the mailbox; a dead host says how to install it", () => {
  const notConnected = { ok: false, error: { code: "not_connected", message: "Connect this mailbox in Mailscope: ..." } };
  assert.equal(toneOf(notConnected), "unknown");
  assert.equal(buttonOf(notConnected, en).label, "Mailscope: not connected");
  assert.match(sentence(notConnected, en), /^Connect this mailbox in Mailscope/);
  assert.match(sentence(notConnected, fr), /^Connectez cette boîte aux lettres dans Mailscope/);
  assert.match(sentence({ ok: false, error: { code: "host_unavailable", message: "x" } }, en), /mailscope thunderbird install/);
  assert.equal(sentence({ ok: false, error: { code: "refused", message: "Refusing." } }, en), "Refusing.");
});

test("attribution names the user, or says nobody counts it", () => {
  const logged = { ok: true, logged: true, attribution: "contact_owner", attributed_to_name: "Claire Dubois" };
  assert.equal(attributionOf(logged, en), "Counts for Claire Dubois, the sender's contact owner, because several users received it.");
  assert.match(attributionOf(logged, fr), /^Compte pour Claire Dubois, propriétaire du contact/);
  assert.equal(attributionOf(notAContact, en), "Not logged, so it counts in nobody's activity report.");
});

test("people say who they are to the CRM; fixes say whether they can run", () => {
  const people = peopleOf({ ...notAContact, people: [...notAContact.people,
    { field: "cc", email: "karen@u.example", name: "Karen Liu", kind: "contact", owner_name: "Mia Rossi", never_log: true }] }, en);
  assert.deepEqual(people.map(p => p.role), ["not in the CRM", "user", "contact, owner: Mia Rossi · on the Never-log list"]);
  assert.equal(people[1].text, "Mia Rossi <mia@globex.example>");
  assert.deepEqual(actionsOf(notAContact, en).map(a => [a.label, a.enabled, a.why]),
    [["Log now", true, ""], ["Create the contact", false, "sync first"]]);
});

test("bulk mail says so beside the verdict, in the rep's language; other mail says nothing", () => {
  const newsletter = { ...notAContact, tone: "wont_log", advisories: ["bulk"], actions: [] };
  assert.match(advisoryOf(newsletter, en), /^Bulk mail .*needs no action/);
  assert.match(advisoryOf(newsletter, fr), /^Envoi en masse .*n'est pas à traiter/);
  assert.match(advisoryOf({ ...newsletter, logged: true }, en), /Never-log list/);
  assert.equal(advisoryOf(notAContact, en), null);
  assert.equal(advisoryOf({ ok: false }, en), null);
  assert.equal(buttonOf(newsletter, en).tone, "wont_log");
});
