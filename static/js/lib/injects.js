// An inject as a card (player feed, console, projector) and the deadline countdowns.
import { $$, calendarDate, clockTime, duration, el, paragraphs, safeUrl } from "./dom.js";

/** Names of the delegations an inject went to, for the "confidential" label. */
export function audienceLabel(model, inject) {
  if (!inject || inject.audience === "all" || !Array.isArray(inject.audience)) return "";
  return inject.audience.map((code) => model.delegation(code)?.name || code).join(", ");
}

/** The text of a response option of an inject, by id. */
export function optionText(inject, optionId) {
  const option = (inject?.response_options || []).find((o) => o.id === optionId);
  return option ? option.text : optionId;
}

/**
 * A card for one fired inject.
 * @param {object} options  compact (no body), onRespond(inject) for a "draft a response" button,
 *                          white (show the facilitator's teaching notes)
 */
export function injectCard(model, inject, options = {}) {
  const private_ = audienceLabel(model, inject);
  const tags = [
    inject.hypothetical ? el("span", { class: "tag tag-hypothetical", text: "Hypothetical" }) : null,
    private_ ? el("span", { class: "tag tag-private", text: `Confidential — ${private_} only` }) : null,
    inject.adhoc ? el("span", { class: "tag", text: "White Cell" }) : null,
    inject.reaction ? el("span", { class: "tag tag-reaction", text: "Reaction" }) : null,
  ];
  const move = (model.scenario?.moves || []).find((m) => m.id === inject.move);
  const card = el(
    "article",
    {
      class: ["card", "inject", private_ ? "inject-private" : "", inject.hypothetical ? "inject-hypothetical" : ""],
      id: `inject-${inject.id}`,
      dataset: { injectId: inject.id },
      "aria-labelledby": `inject-title-${inject.id}`,
    },
    el(
      "header",
      { class: "inject-head" },
      el("div", { class: "inject-tags" }, tags,
        inject.date ? el("span", { class: "inject-date", text: calendarDate(inject.date) }) : null,
        move ? el("span", { class: "inject-move", text: move.title.split("—")[0].trim() }) : null),
      inject.speaker ? el("p", { class: "inject-speaker", text: inject.speaker }) : null,
      el("h3", { class: "inject-title", id: `inject-title-${inject.id}`, text: inject.title }),
    ),
  );
  if (!options.compact) {
    card.appendChild(paragraphs(inject.body, "prose inject-body"));
    if ((inject.sources || []).length) card.appendChild(sourceList(inject.sources));
    if ((inject.response_options || []).length) {
      card.appendChild(
        el("section", { class: "inject-options" },
          el("h4", { text: "Response options" }),
          el("ul", { class: "option-list" }, inject.response_options.map((o) => el("li", { text: o.text })))),
      );
    }
    if (options.white) card.appendChild(whiteNotes(inject));
  }
  const footer = el("footer", { class: "inject-foot" },
    deadlineBadge(inject),
    inject.fired_at ? el("span", { class: "muted", text: `Sent ${clockTime(inject.fired_at)}` }) : null);
  if (options.onRespond && (inject.response_options || []).length && !inject.outcome && model.state?.status !== "ended") {
    footer.appendChild(
      el("button", { type: "button", class: "secondary small", on: { click: () => options.onRespond(inject) } }, "Work on a response"),
    );
  }
  if (options.onRequestTime && inject.deadline_open && model.state?.status !== "ended") {
    footer.appendChild(timeRequest(model, inject, options.onRequestTime));
  }
  card.appendChild(footer);
  updateDeadlines(model, card);
  return card;
}

/** The player's one-click request for more time, or a note that the delegation has asked. */
function timeRequest(model, inject, onRequestTime) {
  const own = (inject.time_requests || []).find((r) => r.delegation === model.you?.delegation);
  if (own) {
    const who = own.by?.name ? ` by ${own.by.name}` : "";
    return el("span", { class: "time-requested muted small", text: `More time asked${who} (+${own.minutes} min): the White Cell decides` });
  }
  const button = el("button", { type: "button", class: "secondary small time-request", text: "Ask for more time", on: { click: async () => {
    button.disabled = true;
    const ok = await onRequestTime(inject);
    if (!ok) button.disabled = false;
  } } });
  return button;
}

function sourceList(sources) {
  return el("section", { class: "inject-sources" },
    el("h4", { text: "Sources" }),
    el("ul", { class: "source-list" }, sources.map((s) => {
      const url = safeUrl(s.url);
      const title = url
        ? el("a", { href: url, target: "_blank", rel: "noopener noreferrer", text: s.title })
        : el("span", { text: s.title });
      return el("li", {}, title, el("span", { class: "muted", text: ` — ${s.publisher}, ${calendarDate(s.date)}` }));
    })));
}

function whiteNotes(inject) {
  const notes = [
    ["Teaching point", inject.teaching_point],
    ["Expected action", inject.expected_action],
    ["What happened", inject.what_happened],
    ["Written by", inject.written_by],
    ["Fired despite its condition", inject.condition_overridden],
  ].filter(([, text]) => text);
  if (!notes.length) return null;
  return el("details", { class: "white-notes" },
    el("summary", { text: "White Cell notes" }),
    el("dl", {}, notes.map(([label, text]) => [el("dt", { text: label }), el("dd", {}, paragraphs(text))])));
}

/** A countdown badge; `updateDeadlines` refreshes every badge on the page each second. */
export function deadlineBadge(inject) {
  return el("span", { class: "deadline", dataset: { deadlineFor: inject.id }, "aria-live": "off" });
}

/** Refresh the countdowns in `root` (the whole page by default). */
export function updateDeadlines(model, root = document) {
  for (const badge of $$("[data-deadline-for]", root)) {
    const inject = model.inject(badge.dataset.deadlineFor);
    const { text, kind } = deadlineText(model, inject);
    if (badge.textContent !== text) badge.textContent = text;
    badge.className = `deadline deadline-${kind}`;
  }
}

export function deadlineText(model, inject) {
  if (!inject) return { text: "", kind: "none" };
  if (inject.outcome === "adopted") return { text: "Joint response adopted", kind: "adopted" };
  if (inject.outcome === "no_consensus") return { text: "Closed — no consensus", kind: "closed" };
  if (model.state?.status === "ended") return { text: "Session ended", kind: "closed" };
  const left = model.deadlineLeft(inject);
  if (left === null) return { text: inject.deadline_at ? "Closed" : "No deadline", kind: "none" };
  const paused = model.state?.status === "paused" ? " (paused)" : "";
  if (left <= 0) return { text: "Deadline reached", kind: "urgent" };
  return { text: `${duration(left)} left to respond${paused}`, kind: left < 60 ? "urgent" : "open" };
}
