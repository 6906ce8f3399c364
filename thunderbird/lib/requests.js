// What the add-in sends: only the fields the rules read, never a body.

const ADDRESS_FIELDS = ["to", "cc", "bcc"];

export function accountOf(account) {
  return {
    name: account ? account.name : "",
    identities: account ? (account.identities || []).map(i => i.email).filter(Boolean) : [],
  };
}

export function headerOf(message) {
  const folder = message.folder || {};
  const date = message.date instanceof Date ? message.date.toISOString() : message.date ?? null;
  return {
    headerMessageId: message.headerMessageId || "",
    author: message.author || "",
    recipients: strings(message.recipients),
    ccList: strings(message.ccList),
    bccList: strings(message.bccList),
    subject: message.subject || "",
    date,
    folder: { specialUse: folder.specialUse || [], type: folder.type || null },
  };
}

export function detailsOf(details) {
  const out = { from: details.from || null, subject: details.subject || "", type: details.type || "new" };
  for (const field of ADDRESS_FIELDS) out[field] = strings(details[field]);
  return out;
}

// A recipient is a mailbox string; an address book entry ({nodeId, type}) is left out.
export function strings(list) {
  if (typeof list === "string") return list ? [list] : [];
  return (list || []).filter(item => typeof item === "string" && item.trim());
}

// Whether the email being written changed in a way that changes its verdict.
export function signature(details) {
  return JSON.stringify([details.identityId, details.from, details.type, details.relatedMessageId,
    details.subject || "", ...ADDRESS_FIELDS.map(f => strings(details[f]))]);
}
