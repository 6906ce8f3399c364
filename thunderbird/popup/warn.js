// The warning before sending an email the CRM won't log: Send anyway, Add BCC (and send), Cancel,
// and "don't ask again for this thread". Closing the window cancels the send.
import { canAddBcc, warningHeadline } from "../lib/sending.js";
import { el, peopleList, t } from "../lib/render.js";

const tabId = Number(new URLSearchParams(location.search).get("tab"));
const remember = document.getElementById("remember");
document.title = t("warnTitle");
document.getElementById("remember-text").textContent = t("dontAskAgain");

function choose(choice) {
  messenger.runtime.sendMessage({ type: "warn-choice", tabId, choice, remember: remember.checked })
    .finally(() => window.close());
}

(async () => {
  const { answer } = await messenger.runtime.sendMessage({ type: "warn-state", tabId });
  if (!answer) return window.close();
  const hint = canAddBcc(answer) ? el("p", { id: "hint", text: t("warnBccHint", answer.bcc_address) }) : null;
  document.getElementById("main").replaceChildren(...[
    el("div", { class: "verdict needs_action", id: "verdict" }, el("img", { src: "../icons/needs_action.svg", alt: "!" }),
      el("span", { text: warningHeadline(answer, t) })),
    hint, peopleList(answer)].filter(Boolean));
  const buttons = [["send", "sendAnyway"], ["bcc", "addBccAndSend"], ["cancel", "cancel"]];
  for (const [id, key] of buttons) {
    const button = document.getElementById(id);
    button.textContent = t(key);
    button.addEventListener("click", () => choose(id));
  }
  if (!canAddBcc(answer)) document.getElementById("bcc").remove();
  document.addEventListener("keydown", event => { if (event.key === "Escape") choose("cancel"); });
  document.getElementById(canAddBcc(answer) ? "bcc" : "cancel").focus();
})();
