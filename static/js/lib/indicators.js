// Indicators as labelled bars (role="meter"); widths go through a CSS custom property, since
// the Content-Security-Policy allows no inline style attributes.
import { el } from "./dom.js";

/**
 * @param {object} model
 * @param {object} [options]  effects: {indicator: delta} of the last change, to show arrows
 */
export function indicatorList(model, options = {}) {
  const defs = model.scenario?.indicators || [];
  const values = model.state?.indicators || {};
  if (!defs.length) return el("p", { class: "muted", text: "The indicators are hidden in this scenario." });
  return el("ul", { class: "indicators" }, defs.map((d) => {
    const value = values[d.id] ?? d.start;
    const span = d.max - d.min || 1;
    const percent = Math.round(((value - d.min) / span) * 100);
    const delta = options.effects?.[d.id];
    const fill = el("span", { class: "bar-fill" });
    fill.style.setProperty("--v", String(percent));
    const startMark = el("span", { class: "bar-start", title: `Start: ${d.start}` });
    startMark.style.setProperty("--v", String(Math.round(((d.start - d.min) / span) * 100)));
    return el("li", { class: "indicator", dataset: { indicator: d.id } },
      el("div", { class: "indicator-head" },
        el("span", { class: "indicator-name", text: d.name }),
        el("span", { class: "indicator-value" }, String(value),
          delta ? deltaMark(d, delta) : null)),
      el("div", {
        class: "bar", role: "meter", "aria-label": d.name,
        "aria-valuemin": String(d.min), "aria-valuemax": String(d.max), "aria-valuenow": String(value),
      }, fill, startMark),
      options.describe && d.description ? el("p", { class: "indicator-desc", text: d.description }) : null,
      options.describe && d.higher_is ? el("p", { class: "indicator-desc", text: `Higher is ${d.higher_is}.` }) : null);
  }));
}

/** The last change of an indicator: an arrow, the amount, and whether that is good news, in
 * words as well as colour (the scenario says which way is better with `higher_is`). */
export function deltaMark(indicator, delta) {
  const better = indicator.higher_is === "better" ? delta > 0 : indicator.higher_is === "worse" ? delta < 0 : null;
  const meaning = better === null ? "neutral" : better ? "good" : "bad";
  const word = better === null ? "" : better ? " (better)" : " (worse)";
  return el("span", { class: ["delta", delta > 0 ? "up" : "down", meaning], dataset: { meaning } },
    ` ${delta > 0 ? "▲" : "▼"}${Math.abs(delta)}${word}`);
}
