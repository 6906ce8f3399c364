// Mailscope in Thunderbird: asks the native host (`mailscope native-host`) for the verdict of
// the displayed message and of every email being written, paints it on the toolbar buttons,
// serves the popups, and warns once before sending an email the CRM won't log.
import { HostClient, HOST_NAME } from "./lib/host.js";
import { accountOf, detailsOf, headerOf, signature, strings } from "./lib/requests.js";
import { decision, needsWarning, remember } from "./lib/sending.js";
import { buttonOf } from "./lib/verdict.js";

const POLL_MS = 700; // recipients and subject have no change event: compose tabs are polled
const t = (key, ...subs) => messenger.i18n.getMessage(key, subs.map(String));
const log = (...parts) => console.log("[mailscope]", ...parts);
const host = new HostClient(() => messenger.runtime.connectNative(HOST_NAME));

const accounts = new Map(); // Thunderbird account id -> {name, identities}
const shown = new Map(); // mail tab id -> {message, answer}
const drafts = new Map(); // compose tab id -> {sig, answer, details}
const warnings = new Map(); // compose tab id -> {answer, resolve, windowId}

async function accountFor(accountId) {
  if (!accountId) return accountOf(null);
  if (!accounts.has(accountId)) accounts.set(accountId, accountOf(await messenger.accounts.get(accountId)));
  return accounts.get(accountId);
}
messenger.accounts.onUpdated.addListener(id => accounts.delete(id));

async function paint(action, tabId, answer, override = {}) {
  const look = { ...buttonOf(answer, t), ...override };
  try {
    await action.setIcon({ tabId, path: look.icon });
    await action.setBadgeText({ tabId, text: look.badgeText });
    await action.setBadgeBackgroundColor({ tabId, color: look.badgeBackgroundColor });
    await action.setBadgeTextColor({ tabId, color: look.badgeTextColor });
    await action.setLabel({ tabId, label: look.label });
    await action.setTitle({ tabId, title: look.title });
  } catch (error) {
    log("paint failed (tab closed?)", String(error));
  }
}

// -- reading ------------------------------------------------------------------------------
async function explain(tabId, message) {
  const answer = await host.request("explain", {
    account: await accountFor(message.folder && message.folder.accountId),
    message: headerOf(message),
  });
  log("explain", message.headerMessageId, answer.ok ? `${answer.logged} ${answer.reason}` : answer.error.code);
  return answer;
}

async function displayed(tab, messages) {
  const list = Array.isArray(messages) ? messages : (messages && messages.messages) || [];
  if (list.length !== 1) {
    shown.delete(tab.id);
    await paint(messenger.messageDisplayAction, tab.id, null, { badgeText: "", label: "Mailscope", title: t("noMessage") });
    return;
  }
  const message = list[0];
  shown.set(tab.id, { message, answer: null });
  await paint(messenger.messageDisplayAction, tab.id, null);
  const answer = await explain(tab.id, message);
  const current = shown.get(tab.id);
  if (!current || current.message.id !== message.id) return; // another message since
  current.answer = answer;
  await paint(messenger.messageDisplayAction, tab.id, answer);
}
messenger.messageDisplay.onMessagesDisplayed.addListener(displayed);

async function actOnMessage(tabId, action) {
  const current = shown.get(tabId);
  if (!current) return { ok: false, error: { code: "no_message", message: t("noMessage") } };
  const { message } = current;
  const result = await host.request("act", {
    account: await accountFor(message.folder && message.folder.accountId), action, message: headerOf(message),
  });
  log("act", action, result.ok ? result.state : result.error.code);
  return result;
}

// -- composing ----------------------------------------------------------------------------
async function composeRequest(details) {
  let account = accountOf(null);
  if (details.identityId) {
    const identity = await messenger.identities.get(details.identityId);
    if (identity) account = await accountFor(identity.accountId);
  }
  const request = { account, details: detailsOf(details) };
  if (details.relatedMessageId && details.type === "reply") {
    const parent = await messenger.messages.get(details.relatedMessageId).catch(() => null);
    if (parent) request.related = { headerMessageId: parent.headerMessageId };
  }
  return request;
}

const hasRecipients = d => ["to", "cc", "bcc"].some(f => strings(d[f]).length);

async function checkDraft(tabId, details, force = false) {
  const state = drafts.get(tabId) || {};
  const sig = signature(details);
  if (!force && state.sig === sig) return state.answer;
  Object.assign(state, { sig, details, answer: null });
  drafts.set(tabId, state);
  if (!hasRecipients(details)) {
    await paint(messenger.composeAction, tabId, null, { badgeText: "", label: "Mailscope", title: t("typeRecipient") });
    return null;
  }
  const answer = await host.request("check_compose", await composeRequest(details));
  log("check_compose", strings(details.to).join(","), answer.ok ? `${answer.logged} ${answer.reason}` : answer.error.code);
  if (drafts.get(tabId) === state && state.sig === sig) {
    state.answer = answer;
    await paint(messenger.composeAction, tabId, answer);
  }
  return answer;
}

async function poll() {
  for (const tabId of [...drafts.keys()]) {
    const details = await messenger.compose.getComposeDetails(tabId).catch(() => null);
    if (details) await checkDraft(tabId, details);
  }
}

function track(tab) {
  if (tab.type === "messageCompose" && !drafts.has(tab.id)) drafts.set(tab.id, {});
}
messenger.tabs.onCreated.addListener(track);
messenger.tabs.onRemoved.addListener(tabId => {
  drafts.delete(tabId);
  shown.delete(tabId);
});
messenger.tabs.query({ type: "messageCompose" }).then(tabs => tabs.forEach(track));
setInterval(() => poll().catch(error => log("poll failed", String(error))), POLL_MS);

async function addBcc(tabId) {
  const details = await messenger.compose.getComposeDetails(tabId);
  const result = await host.request("act", { ...(await composeRequest(details)), action: "add_bcc" });
  if (result.ok && result.added) await messenger.compose.setComposeDetails(tabId, { bcc: result.bcc });
  const fresh = await messenger.compose.getComposeDetails(tabId);
  return { result, answer: await checkDraft(tabId, fresh, true) };
}

// Alt+Shift+B in a compose window: add the BCC address without opening the popup.
messenger.commands.onCommand.addListener(async (command, tab) => {
  const target = tab || (await messenger.tabs.query({ active: true, currentWindow: true }))[0];
  if (command !== "add-bcc" || !target || target.type !== "messageCompose") return;
  const { result } = await addBcc(target.id);
  log("add_bcc", result.ok ? result.text : result.error.code);
});

async function createContact(tabId, email) {
  const details = await messenger.compose.getComposeDetails(tabId);
  const { account } = await composeRequest(details);
  return host.request("act", { account, action: "create_contact", email });
}

// -- before sending: warn once ------------------------------------------------------------
function ask(tabId, answer) {
  return new Promise(resolve => {
    const pending = { answer, resolve, windowId: null };
    warnings.set(tabId, pending);
    messenger.windows
      .create({ type: "popup", url: `popup/warn.html?tab=${tabId}`, width: 560, height: 330, allowScriptsToClose: true })
      .then(win => { pending.windowId = win.id; })
      .catch(error => { log("cannot open the warning", String(error)); finish(tabId, { choice: "cancel" }); });
  });
}

function finish(tabId, choice) {
  const pending = warnings.get(tabId);
  if (!pending) return;
  warnings.delete(tabId);
  pending.resolve(choice);
}

messenger.windows.onRemoved.addListener(windowId => {
  for (const [tabId, pending] of warnings) if (pending.windowId === windowId) finish(tabId, { choice: "cancel" });
});

messenger.compose.onBeforeSend.addListener(async (tab, details) => {
  if (warnings.has(tab.id)) return { cancel: true }; // a warning is already open for this email
  const answer = await checkDraft(tab.id, details, true);
  const { remembered = [] } = await messenger.storage.local.get("remembered");
  if (!needsWarning(answer, remembered)) return {};
  const choice = await ask(tab.id, answer);
  log(`before send: ${answer.reason} -> ${choice.choice}`);
  if (choice.remember && choice.choice !== "cancel") {
    await messenger.storage.local.set({ remembered: remember(remembered, answer) });
  }
  return decision(choice.choice, answer, strings(details.bcc));
});

// -- the popups ---------------------------------------------------------------------------
messenger.runtime.onMessage.addListener(async request => {
  switch (request && request.type) {
    case "message-state": {
      const current = shown.get(request.tabId);
      return current ? { answer: current.answer || (current.answer = await explain(request.tabId, current.message)) } : {};
    }
    case "message-act": {
      const result = await actOnMessage(request.tabId, request.action);
      const current = shown.get(request.tabId);
      if (current) {
        current.answer = await explain(request.tabId, current.message);
        await paint(messenger.messageDisplayAction, request.tabId, current.answer);
      }
      return { result, answer: current && current.answer };
    }
    case "compose-state": {
      const details = await messenger.compose.getComposeDetails(request.tabId);
      return { answer: await checkDraft(request.tabId, details), details: detailsOf(details) };
    }
    case "compose-add-bcc":
      return addBcc(request.tabId);
    case "compose-create-contact":
      return { result: await createContact(request.tabId, request.email) };
    case "warn-state": {
      const pending = warnings.get(request.tabId);
      return pending ? { answer: pending.answer } : {};
    }
    case "warn-choice":
      finish(request.tabId, { choice: request.choice, remember: Boolean(request.remember) });
      return {};
    default:
      return undefined;
  }
});

host.request("hello").then(answer => log("host", answer.ok ? `protocol ${answer.protocol}, app ${answer.app}` : answer.error.code));
