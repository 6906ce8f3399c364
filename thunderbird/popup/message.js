// The message popup: the verdict's sentence, the people, whose report it counts in, the fixes.
import { activeTabId, actionButtons, advisoryLine, attributionLine, el, peopleList, section, t, verdictBox } from "../lib/render.js";

const main = document.getElementById("main");
const note = document.getElementById("note");
let tabId = null;
// A draft shown in the message pane is fixed in its compose window, not from here.
const COMPOSE_ONLY = ["add_bcc", "restore_subject"];

function show(answer) {
  main.replaceChildren(...[
    verdictBox(answer),
    advisoryLine(answer),
    section(t("headingPeople"), peopleList(answer)),
    section(t("headingCounts"), attributionLine(answer)),
    section(t("headingFixes"), actionButtons(answer, run, COMPOSE_ONLY)),
  ].filter(Boolean));
}

async function run(action) {
  note.textContent = t("deciding");
  const { result, answer } = await messenger.runtime.sendMessage({ type: "message-act", tabId, action });
  note.textContent = result && result.ok ? t(result.created ? "actQueued" : "actAlready") : (result && result.error.message) || "";
  if (answer) show(answer);
}

(async () => {
  tabId = await activeTabId();
  const state = await messenger.runtime.sendMessage({ type: "message-state", tabId });
  if (!state || !state.answer) {
    main.replaceChildren(el("p", { text: t("noMessage") }));
    return;
  }
  show(state.answer);
})();
