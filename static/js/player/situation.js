// The Situation tab: indicators, our delegation's score, adopted joint responses, unilateral
// statements and the facilitators' rulings.
import { clockTime, el, paint, replace } from "../lib/dom.js";
import { indicatorList } from "../lib/indicators.js";
import { optionText } from "../lib/injects.js";

export function renderSituation(model, root, effects) {
  replace(root,
    el("div", { class: "situation-grid" },
      el("section", { class: "card", "aria-labelledby": "ind-title" },
        el("h2", { id: "ind-title", text: "Indicators" }),
        indicatorList(model, { effects, describe: true })),
      el("div", {},
        scoreCard(model),
        adoptedCard(model),
        statementsCard(model),
        rulingsCard(model))));
}

function scoreCard(model) {
  const code = model.you.delegation;
  const own = model.delegation(code);
  const score = model.state.scores?.[code];
  if (!score) return null;
  return paint(el("section", { class: "card score-card del-accent", "aria-labelledby": "score-title" },
    el("h2", { id: "score-title" }, "Our score ", el("span", { class: "score-total", text: String(score.total) })),
    el("p", { class: "muted small", text: "Points from adopted joint responses that serve your private objectives." }),
    el("ul", { class: "score-list" }, (own.objectives || []).map((o) =>
      el("li", {}, el("span", { text: o.text }), el("strong", { class: "score-points", text: String(score.objectives?.[o.id] ?? 0) }))))), own.colour);
}

export function adoptedCard(model) {
  const adopted = model.state.proposals.filter((p) => p.status === "adopted");
  return el("section", { class: "card", "aria-labelledby": "adopted-title" },
    el("h2", { id: "adopted-title", text: "Adopted joint responses" }),
    adopted.length
      ? el("ul", { class: "adopted-list" }, adopted.map((p) => {
          const inject = p.inject_id ? model.inject(p.inject_id) : null;
          const version = p.versions.find((v) => v.n === p.adopted_version) || p.versions[p.versions.length - 1];
          return el("li", { class: "adopted" },
            el("p", { class: "adopted-for", text: inject ? inject.title : "General proposal" }),
            el("p", { class: "adopted-text", text: version.text }),
            (version.options || []).length
              ? el("ul", { class: "chosen-options" }, version.options.map((id) => el("li", { text: optionText(inject, id) })))
              : null);
        }))
      : el("p", { class: "muted", text: "No joint response adopted yet." }));
}

function statementsCard(model) {
  const statements = model.state.statements || [];
  if (!statements.length) return null;
  return el("section", { class: "card", "aria-labelledby": "statements-title" },
    el("h2", { id: "statements-title", text: "Unilateral statements" }),
    el("ul", { class: "statement-list" }, statements.slice().reverse().map((s) => {
      const d = model.delegation(s.delegation);
      return el("li", {},
        paint(el("span", { class: "del-tag", text: s.delegation }), d?.colour),
        el("span", { class: "muted", text: ` ${clockTime(s.at)}` }),
        el("p", { text: s.text }));
    })));
}

function rulingsCard(model) {
  const rulings = model.state.rulings || [];
  if (!rulings.length) return null;
  const names = Object.fromEntries((model.scenario.indicators || []).map((i) => [i.id, i.name]));
  return el("section", { class: "card", "aria-labelledby": "rulings-title" },
    el("h2", { id: "rulings-title", text: "Rulings of the White Cell" }),
    el("ul", { class: "statement-list" }, rulings.slice().reverse().map((r) =>
      el("li", {},
        el("strong", { text: "value" in r ? `${r.name || names[r.indicator] || r.indicator}: ${r.previous} → ${r.value}` : r.name || names[r.indicator] || r.indicator }),
        el("p", { text: r.ruling })))));
}
