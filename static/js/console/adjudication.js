// Indicators and adjudication: the gauges, an override with a narrated ruling, the rulings so
// far, unilateral statements, and every delegation's private score.
import { clockTime, el, paint, replace } from "../lib/dom.js";
import { indicatorList } from "../lib/indicators.js";

export class AdjudicationView {
  constructor(model, root, command) {
    this.model = model;
    this.command = command;
    this.gauges = el("div");
    this.form = this.overrideForm();
    this.history = el("div");
    replace(root, root.querySelector("h2"), this.gauges, this.form, this.history);
  }

  render() {
    const model = this.model;
    replace(this.gauges, indicatorList(model));
    const select = this.form.querySelector("select");
    if (!select.options.length) {
      for (const i of model.scenario.indicators) select.append(el("option", { value: i.id, text: i.name }));
      this.syncValue();
    } else if (!this.valueEdited) {
      // Keep the proposed value at the gauge's current reading until the facilitator types one:
      // a stale start value would silently undo every effect since.
      this.syncValue();
    }
    const names = Object.fromEntries(model.scenario.indicators.map((i) => [i.id, i.name]));
    const rulings = (model.state.rulings || []).slice().reverse();
    const statements = (model.state.statements || []).slice().reverse();
    replace(this.history,
      el("h3", { text: "Scores (private objectives)" }),
      el("table", { class: "scores" },
        el("thead", {}, el("tr", {}, el("th", { scope: "col", text: "Delegation" }), el("th", { scope: "col", text: "Points" }))),
        el("tbody", {}, model.scenario.delegations.map((d) => paint(el("tr", {},
          el("td", {}, el("span", { class: "del-tag", text: d.code }), ` ${d.name}`),
          el("td", { class: "num", text: String(model.state.scores?.[d.code]?.total ?? 0) })), d.colour)))),
      rulings.length ? el("h3", { text: "Rulings" }) : null,
      rulings.length ? el("ul", { class: "statement-list" }, rulings.map((r) => el("li", {},
        el("strong", { text: "value" in r ? `${r.name || names[r.indicator] || r.indicator}: ${r.previous} → ${r.value}` : r.name || names[r.indicator] || r.indicator }),
        el("span", { class: "muted small", text: ` ${clockTime(r.at)}` }), el("p", { text: r.ruling })))) : null,
      statements.length ? el("h3", { text: "Unilateral statements" }) : null,
      statements.length ? el("ul", { class: "statement-list" }, statements.map((s) => el("li", {},
        paint(el("span", { class: "del-tag", text: s.delegation }), model.delegation(s.delegation)?.colour),
        el("span", { class: "muted small", text: ` ${clockTime(s.at)}` }), el("p", { text: s.text })))) : null);
  }

  syncValue() {
    const id = this.form.querySelector("select").value;
    const def = this.model.scenario.indicators.find((i) => i.id === id);
    const input = this.form.querySelector("input[type=number]");
    if (!def) return;
    input.min = String(def.min);
    input.max = String(def.max);
    input.value = String(this.model.state.indicators?.[id] ?? def.start);
  }

  overrideForm() {
    const select = el("select", { id: "override-indicator", on: { change: () => { this.valueEdited = false; this.syncValue(); } } });
    const value = el("input", { id: "override-value", type: "number", required: true, on: { input: () => { this.valueEdited = true; } } });
    const ruling = el("textarea", { id: "override-ruling", rows: "2", maxlength: "1000", required: true, placeholder: "What happened, in a sentence the players will read" });
    const form = el("form", { class: "inline-form override", on: { submit: async (event) => {
      event.preventDefault();
      const ack = await this.command("indicator.override",
        { indicator: select.value, value: Number(value.value), ruling: ruling.value.trim() }, "Ruling recorded.");
      if (ack.ok) { ruling.value = ""; this.valueEdited = false; this.syncValue(); }
    } } },
    el("h3", { text: "Override an indicator" }),
    el("div", { class: "override-row" },
      el("div", { class: "field" }, el("label", { for: "override-indicator", text: "Indicator" }), select),
      el("div", { class: "field" }, el("label", { for: "override-value", text: "New value" }), value)),
    el("div", { class: "field" }, el("label", { for: "override-ruling", text: "Ruling (shown to everyone)" }), ruling),
    el("button", { type: "submit", class: "secondary", text: "Record ruling" }));
    return form;
  }
}
