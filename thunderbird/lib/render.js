// Small DOM helpers shared by the popups (text only: nothing from a message becomes markup).
import { TONES, actionsOf, advisoryOf, attributionOf, peopleOf, sentence, toneOf } from "./verdict.js";

export const t = (key, ...subs) => messenger.i18n.getMessage(key, subs.map(String));

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key === "text") node.textContent = value;
    else if (key === "class") node.className = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children.filter(Boolean));
  return node;
}

export function verdictBox(answer) {
  const tone = toneOf(answer);
  return el("div", { class: `verdict ${tone}`, id: "verdict", "data-tone": tone },
    el("img", { src: `../icons/${tone}.svg`, alt: TONES[tone].glyph }), el("span", { text: sentence(answer, t) }));
}

export function advisoryLine(answer) {
  const text = advisoryOf(answer, t);
  return text ? el("p", { id: "advisory", class: "advisory", text }) : null;
}

export function peopleList(answer) {
  const people = peopleOf(answer, t);
  if (!people.length) return null;
  return el("ul", { id: "people" }, ...people.map(p =>
    el("li", {}, el("b", { text: `${t(`field_${p.field}`)}: ` }), p.text, el("span", { class: "role", text: ` — ${p.role}` }))));
}

export function section(title, ...content) {
  const kept = content.filter(Boolean);
  return kept.length ? el("section", {}, el("h2", { text: title }), ...kept) : null;
}

export function attributionLine(answer) {
  return answer && answer.ok ? el("p", { id: "attribution", text: attributionOf(answer, t) }) : null;
}

export function actionButtons(answer, run, skip = []) {
  const actions = actionsOf(answer, t).filter(a => !skip.includes(a.action));
  if (!actions.length) return null;
  return el("div", { class: "buttons" }, ...actions.map(a => el("button", {
    id: `action_${a.action}`, class: "primary", text: a.label, title: a.why,
    ...(a.enabled ? {} : { disabled: "disabled" }), onclick: () => run(a.action),
  })));
}

export async function activeTabId() {
  const [tab] = await messenger.tabs.query({ active: true, currentWindow: true });
  return tab ? tab.id : null;
}
