// The compose popup: the live verdict of the email being written, its warnings with their
// fixes, the reply-all predictions, and "Add the BCC address".
import { activeTabId, actionButtons, attributionLine, el, peopleList, section, t, verdictBox } from "../lib/render.js";

const main = document.getElementById("main");
const note = document.getElementById("note");
let tabId = null;

function warningList(answer) {
  const warnings = (answer && answer.ok && answer.warnings) || [];
  if (!warnings.length) return null;
  return el("ul", { id: "warnings" }, ...warnings.map(w => el("li", { class: "warning" },
    el("span", { text: t(`wkind_${w.kind}`, w.address || "") || w.text }),
    ...w.fixes.filter(f => f.action === "create_contact" && w.address).map(() =>
      el("button", { text: t("action_create_contact"), onclick: () => createContact(w.address) })))));
}

function replyList(answer) {
  const replies = (answer && answer.ok && answer.replies) || [];
  if (!replies.length) return null;
  return el("ul", { id: "replies" }, ...replies.map(r => el("li", { text: r.sentence })));
}

function show(answer) {
  if (!answer) {
    main.replaceChildren(el("p", { text: t("typeRecipient") }));
    return;
  }
  main.replaceChildren(...[
    verdictBox(answer),
    section(t("headingFixes"), actionButtons(answer, run)),
    section(t("headingWarnings"), warningList(answer)),
    section(t("headingPeople"), peopleList(answer)),
    section(t("headingCounts"), attributionLine(answer)),
    section(t("headingReplies"), replyList(answer)),
  ].filter(Boolean));
}

async function run(action) {
  if (action !== "add_bcc") return;
  const { result, answer } = await messenger.runtime.sendMessage({ type: "compose-add-bcc", tabId });
  note.textContent = result.ok ? t(result.added ? "bccAdded" : "bccAlready", result.address) : result.error.message;
  show(answer);
}

async function createContact(email) {
  const { result } = await messenger.runtime.sendMessage({ type: "compose-create-contact", tabId, email });
  note.textContent = result.ok ? t(result.created ? "actQueued" : "actAlready") : result.error.message;
}

async function refresh() {
  const state = await messenger.runtime.sendMessage({ type: "compose-state", tabId });
  show(state && state.answer);
}

(async () => {
  tabId = await activeTabId();
  await refresh();
  setInterval(refresh, 1000); // the verdict follows the recipients while the popup is open
})();
