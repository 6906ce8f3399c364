// Before a send: whether to warn, what "don't ask again for this thread" remembers, and what
// each choice of the warning returns to compose.onBeforeSend.

export const WARN_REASONS = ["not_a_contact", "replies_only", "subject_changed"];

// The keys a thread is remembered by: its thread key (a reply), and its subject's N4 key
// (a new email, and replies to it that keep the subject).
export function threadKeys(answer) {
  const thread = (answer && answer.thread) || {};
  return [thread.key ? `id:${thread.key}` : null, thread.subject_key ? `subject:${thread.subject_key}` : null]
    .filter(Boolean);
}

export function isRemembered(answer, remembered) {
  const known = new Set(remembered || []);
  return threadKeys(answer).some(key => known.has(key));
}

export function needsWarning(answer, remembered) {
  if (!answer || !answer.ok || answer.logged) return false;
  return WARN_REASONS.includes(answer.reason) && !isRemembered(answer, remembered);
}

export function remember(remembered, answer, limit = 500) {
  const keys = [...(remembered || []), ...threadKeys(answer).filter(k => !(remembered || []).includes(k))];
  return keys.slice(-limit);
}

export function canAddBcc(answer) {
  return Boolean(answer && answer.ok && answer.bcc_address);
}

// What onBeforeSend returns for the rep's choice; a closed warning is a cancel.
export function decision(choice, answer, bcc) {
  if (choice === "send") return {};
  if (choice === "bcc" && canAddBcc(answer)) {
    const list = (bcc || []).filter(a => typeof a === "string");
    const present = list.some(a => a.toLowerCase().includes(answer.bcc_address.toLowerCase()));
    return present ? {} : { details: { bcc: [...list, answer.bcc_address] } };
  }
  return { cancel: true };
}

export function warningHeadline(answer, t) {
  return t(`warn_${WARN_REASONS.includes(answer.reason) ? answer.reason : "not_a_contact"}`);
}
