// Preview (the scenario through one viewer's eyes, drawn by the player's own rendering code from
// the sync the server builds for that viewer) and dry run (a track played on a fast clock).
import { api } from "../lib/api.js";
import { $, el, paint, paragraphs, replace } from "../lib/dom.js";
import { indicatorList } from "../lib/indicators.js";
import { injectCard, updateDeadlines } from "../lib/injects.js";
import { SessionModel } from "../lib/model.js";
import { renderBriefing } from "../player/briefing.js";
import { NegotiationView } from "../player/negotiation.js";

// The preview's negotiation view is for looking: nothing in it reaches a session.
const NO_CONNECTION = { send: async () => ({ ok: false, error: { code: "preview", message: "This is a preview: nothing is sent." } }) };

async function versionOptions(context, select, keep) {
  const answer = await api("GET", `${context.base}/versions`);
  const versions = answer.ok ? answer.versions || [] : [];
  replace(select,
    el("option", { value: "draft", text: "The draft" }),
    versions.slice().reverse().map((v) => el("option", { value: String(v.version), text: `Version ${v.version}` })));
  select.value = keep && Array.from(select.options).some((o) => o.value === keep) ? keep : "draft";
}

const versionQuery = (value) => (value === "draft" ? "version=draft" : `version=${encodeURIComponent(value)}`);

export class Preview {
  constructor(context) {
    this.context = context;
    this.form = $("#preview-form");
    this.as = $("#preview-as");
    this.version = $("#preview-version");
    this.status = $("#preview-status");
    this.view = $("#preview-view");
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.load();
    });
  }

  async show() {
    const keep = this.as.value;
    const codes = (this.context.refs().delegation || []).map((d) => d.id);
    replace(this.as,
      codes.map((code) => el("option", { value: code, text: `${code} (a player of this delegation)` })),
      el("option", { value: "observer", text: "An observer" }),
      el("option", { value: "projector", text: "The projector (the whole room)" }));
    if (keep && Array.from(this.as.options).some((o) => o.value === keep)) this.as.value = keep;
    await versionOptions(this.context, this.version, this.version.value);
  }

  async load() {
    await this.context.flush();
    const who = this.as.value;
    this.status.textContent = "Building the preview…";
    const answer = await api("GET", `${this.context.base}/preview?as=${encodeURIComponent(who)}&${versionQuery(this.version.value)}`);
    if (!answer.ok) {
      this.status.textContent = answer.error.message;
      replace(this.view, answer.problems?.length ? el("p", { class: "form-error", text: "Fix the errors listed under Checks to preview the draft." }) : null);
      return;
    }
    const model = new SessionModel();
    model.applySync(answer.view, []);
    const label = this.as.selectedOptions[0]?.textContent || who;
    this.status.textContent = `Preview as ${label}, just after the first move starts.`;
    replace(this.view, model.you?.delegation ? this.player(model) : this.room(model, who));
    updateDeadlines(model, this.view);
  }

  /** A player's three main tabs, stacked: briefing, injects, negotiation. */
  player(model) {
    const briefing = el("div", { class: "preview-part" });
    try {
      renderBriefing(model, briefing);
    } catch {
      briefing.appendChild(el("p", { class: "muted", text: "The briefing cannot be drawn from this preview." }));
    }
    const negotiation = el("div", { class: "preview-part" });
    try {
      new NegotiationView(model, NO_CONNECTION, negotiation).refresh();
    } catch {
      negotiation.appendChild(el("p", { class: "muted", text: "The negotiation view cannot be drawn from this preview." }));
    }
    const own = model.delegation(model.you.delegation);
    return [
      paint(el("p", { class: "preview-seat del-accent card" },
        el("span", { class: "del-tag", text: model.you.delegation }), " ",
        el("strong", { text: model.you.role_title || "" }), ` · ${own?.name || ""}`), own?.colour),
      el("section", { class: "preview-section", "aria-labelledby": "pv-briefing" }, el("h2", { id: "pv-briefing", text: "Briefing tab" }),
        el("fieldset", { class: "preview-frame", disabled: true }, el("legend", { class: "sr-only", text: "Briefing (preview)" }), briefing)),
      el("section", { class: "preview-section", "aria-labelledby": "pv-injects" }, el("h2", { id: "pv-injects", text: "Injects tab" }), this.injects(model)),
      // Disabled: the forms show what players can do; a preview sends nothing.
      el("section", { class: "preview-section", "aria-labelledby": "pv-negotiation" }, el("h2", { id: "pv-negotiation", text: "Negotiation tab" }),
        el("fieldset", { class: "preview-frame", disabled: true }, el("legend", { class: "sr-only", text: "Negotiation (preview, inactive)" }), negotiation)),
    ];
  }

  injects(model) {
    const injects = (model.state?.injects || []).slice().reverse();
    if (!injects.length) return el("p", { class: "muted", text: "No inject has reached this viewer yet at the start of the first move." });
    return el("div", { class: "feed" }, injects.map((inject) => injectCard(model, inject)));
  }

  /** What an observer or the projector sees: public briefings, public injects, indicators. */
  room(model, who) {
    const scenario = model.scenario || {};
    return [
      el("section", { class: "card" },
        el("p", { class: "eyebrow", text: who === "projector" ? "Projector" : "Observer" }),
        el("h2", { text: scenario.title || "" }), paragraphs(scenario.summary)),
      (scenario.delegations || []).map((d) => paint(el("section", { class: "card del-accent" },
        el("p", { class: "eyebrow", text: "Public briefing" }), el("h3", { text: d.name }), paragraphs(d.public_briefing)), d.colour)),
      el("section", { class: "preview-section", "aria-labelledby": "pv-room-injects" }, el("h2", { id: "pv-room-injects", text: "Injects" }), this.injects(model)),
      el("section", { class: "card", "aria-labelledby": "pv-indicators" }, el("h2", { id: "pv-indicators", text: "Indicators" }), indicatorList(model)),
    ];
  }
}

const pick = (entry, ...names) => {
  for (const name of names) if (entry[name] !== undefined && entry[name] !== null && entry[name] !== "") return entry[name];
  return "";
};
const audienceText = (value) => (Array.isArray(value) ? value.join(", ") : value === "white" ? "White Cell" : String(value || ""));
const minute = (value) => (typeof value === "number" ? String(Math.round(value * 10) / 10) : String(value ?? ""));

export class DryRun {
  constructor(context) {
    this.context = context;
    this.track = $("#dryrun-track");
    this.version = $("#dryrun-version");
    this.status = $("#dryrun-status");
    this.view = $("#dryrun-view");
    $("#dryrun-form").addEventListener("submit", (event) => {
      event.preventDefault();
      this.run();
    });
  }

  async show() {
    const keep = this.track.value;
    replace(this.track,
      el("option", { value: "", text: "Whole scenario (every inject, as written)" }),
      (this.context.refs().track || []).map((t) => el("option", { value: t.id, text: t.label })));
    if (Array.from(this.track.options).some((o) => o.value === keep)) this.track.value = keep;
    await versionOptions(this.context, this.version, this.version.value);
  }

  injectTitle(id) {
    if (!id) return "";
    const found = (this.context.refs().inject || []).find((i) => i.id === id);
    return found ? found.label : String(id);
  }

  async run() {
    await this.context.flush();
    this.status.textContent = "Playing the track on a fast clock…";
    const body = { track: this.track.value || null, version: this.version.value === "draft" ? "draft" : Number(this.version.value) };
    const answer = await api("POST", `${this.context.base}/dry-run`, body);
    if (!answer.ok) {
      this.status.textContent = answer.error.message;
      replace(this.view);
      return;
    }
    const timeline = answer.timeline || [];
    this.status.textContent = `${timeline.length} event${timeline.length === 1 ? "" : "s"}; the track ends at minute ${answer.ends_at_minute ?? "?"}.`;
    const perDelegation = Object.entries(answer.per_delegation || {});
    replace(this.view,
      el("section", { class: "card", "aria-labelledby": "dr-timeline" },
        el("h2", { id: "dr-timeline", text: "Timeline" }),
        // A wide table scrolls on its own: a keyboard can reach and scroll it too.
        el("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-labelledby": "dr-timeline" },
          el("table", { class: "sessions dryrun-table" },
            el("thead", {}, el("tr", {}, ["Minute", "Move", "What", "Inject", "To", "Summary"].map((h) => el("th", { scope: "col", text: h })))),
            el("tbody", {}, timeline.map((e) => el("tr", {},
              el("td", { class: "num", text: minute(pick(e, "minute", "at_minute")) }),
              el("td", { class: "nowrap", text: String(pick(e, "move_title", "move")) }),
              el("td", { text: String(pick(e, "type", "event", "kind")).replace(/_/g, " ") }),
              el("td", { text: this.injectTitle(pick(e, "inject_title", "title", "inject", "inject_id")) }),
              el("td", { text: audienceText(pick(e, "audience", "delegation", "to")) }),
              el("td", { text: String(pick(e, "summary", "text")) }))))))),
      el("div", { class: "dryrun-delegations" }, perDelegation.map(([code, entries]) => {
        const delegation = (this.context.refs().delegation || []).find((d) => d.id === code);
        return el("section", { class: "card", "aria-labelledby": `dr-${code}` },
          el("h3", { id: `dr-${code}`, text: delegation ? delegation.label : code }),
          entries.length
            ? el("ol", { class: "dryrun-list" }, entries.map((e) => el("li", {},
                el("span", { class: "dryrun-minute", text: `min ${minute(pick(e, "minute", "at_minute"))}` }), " ",
                String(pick(e, "summary", "inject_title", "title", "text")))))
            : el("p", { class: "muted", text: "Receives nothing on this track." }));
      })));
  }
}
