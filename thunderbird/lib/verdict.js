// How a verdict looks in Thunderbird: the same colours, glyphs and words as the app's badge,
// in the rep's language. `t(key, ...substitutions)` is messenger.i18n.getMessage.

export const TONES = {
  will_log: { background: "#e3f4e6", text: "#1b6b2f", badge: "#2e8b47", glyph: "✓" },
  needs_action: { background: "#fdf0d5", text: "#8a5300", badge: "#b9770e", glyph: "!" },
  wont_log: { background: "#eceff3", text: "#4a5563", badge: "#6b7685", glyph: "✕" },
  pending: { background: "#f1f1f1", text: "#6b6b6b", badge: "#9a9a9a", glyph: "…" },
  unknown: { background: "#f1f1f1", text: "#6b6b6b", badge: "#9a9a9a", glyph: "?" },
};

export const REASONS = ["already_logged", "unparseable", "never_log", "bcc_address", "thread_reply",
  "subject_changed", "replies_only", "internal", "no_email_access", "log_all_contact", "not_a_contact"];

export function toneOf(answer) {
  if (!answer) return "pending";
  if (!answer.ok) return "unknown";
  return TONES[answer.tone] ? answer.tone : (answer.logged ? "will_log" : "wont_log");
}

// The verdict in one sentence: "Won't be logged: nobody on it is a contact."
export function sentence(answer, t) {
  if (!answer) return t("deciding");
  if (!answer.ok) return errorText(answer, t);
  if (!REASONS.includes(answer.reason)) return answer.sentence;
  return t(answer.logged ? "sentenceWill" : "sentenceWont", t(`why_${answer.reason}`));
}

export function errorText(answer, t) {
  const code = answer && answer.error ? answer.error.code : "";
  if (code === "not_connected") return t("connectMailbox");
  if (code === "host_unavailable" || code === "timeout") return t("hostUnavailable");
  return answer && answer.error ? answer.error.message : t("hostUnavailable");
}

// The toolbar button: icon and badge by tone, the words in its label, the sentence as tooltip.
export function buttonOf(answer, t) {
  const tone = toneOf(answer);
  const look = TONES[tone];
  let label;
  if (tone === "pending") label = t("deciding");
  else if (tone === "unknown") label = t(answer.error && answer.error.code === "not_connected" ? "labelNotConnected" : "labelError");
  else label = t(answer.logged ? "labelWill" : "labelWont", t(`reason_${answer.reason}`));
  return {
    tone,
    icon: `icons/${tone}.svg`,
    badgeText: look.glyph,
    badgeBackgroundColor: look.badge,
    badgeTextColor: "#ffffff",
    label,
    title: sentence(answer, t),
  };
}

// Whose activity report it counts in.
export function attributionOf(answer, t) {
  if (!answer || !answer.ok || !answer.logged || !answer.attribution) return t("attributionNone");
  return t(`attribution_${answer.attribution}`, answer.attributed_to_name || "");
}

export function peopleOf(answer, t) {
  if (!answer || !answer.ok) return [];
  return (answer.people || []).map(p => {
    let role = t(`kind_${p.kind}`) || p.kind;
    if (p.kind === "contact") role = p.owner_name ? t("kindContactOwner", p.owner_name) : t("kindContactNoOwner");
    if (p.never_log) role += ` · ${t("neverLogList")}`;
    const named = p.name && p.name !== p.email ? `${p.name} <${p.email}>` : p.email;
    return { field: p.field, text: named, role, kind: p.kind };
  });
}

// Rules section 7's bulk advisory (newsletters, notifications, lists), as the app words it.
export function advisoryOf(answer, t) {
  if (!answer || !answer.ok || !(answer.advisories || []).includes("bulk")) return null;
  return t(answer.logged ? "advisoryBulkLogged" : "advisoryBulk");
}

export function actionsOf(answer, t) {
  if (!answer || !answer.ok) return [];
  return (answer.actions || []).map(a => ({
    action: a.action,
    label: t(`action_${a.action}`) || a.label,
    enabled: Boolean(a.available) && ["log_now", "create_contact", "add_bcc"].includes(a.action),
    why: a.why_not || "",
  }));
}
