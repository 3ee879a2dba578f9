// The inject timeline: every inject of the scenario by move, with its status (pending, held,
// skipped, fired), when it falls due, and the actions a facilitator may take; and a form to
// write an inject during play.
import { clockTime, duration, el, paragraphs, replace } from "../lib/dom.js";
import { audienceLabel, deadlineBadge } from "../lib/injects.js";

export class TimelineView {
  constructor(model, root, command) {
    this.model = model;
    this.command = command;
    this.list = el("div", { class: "timeline" });
    this.openMoves = new Set();
    this.openRows = new Set();
    replace(root, root.querySelector("h2"), this.list, this.writeForm());
  }

  /** Every inject with what we know of it, in move and scenario order. */
  rows() {
    const fired = new Map(this.model.state.injects.map((i) => [i.id, i]));
    const pending = new Map((this.model.state.injects_pending || []).map((i) => [i.id, i]));
    const rows = (this.model.scenario.injects || []).map((def) => ({
      def,
      fired: fired.get(def.id) || null,
      pending: pending.get(def.id) || null,
      status: fired.has(def.id) ? "fired" : pending.get(def.id)?.status || "pending",
    }));
    for (const inject of this.model.state.injects.filter((i) => i.adhoc)) {
      rows.push({ def: inject, fired: inject, status: "fired" });
    }
    return rows;
  }

  render() {
    const moves = this.model.scenario.moves;
    const current = this.model.state.clock.move_index;
    const rows = this.rows();
    const lobby = this.model.state.status === "lobby"
      ? el("p", { class: "lobby-note", id: "timeline-lobby-note", text: "In the lobby: injects can be fired once you start move 1 (Start move 1, at the top)." })
      : null;
    if (this.writeButton) {
      this.writeButton.disabled = Boolean(lobby);
      if (lobby) this.writeButton.setAttribute("aria-describedby", "timeline-lobby-note");
      else this.writeButton.removeAttribute("aria-describedby");
    }
    replace(this.list, lobby, moves.map((move, index) => {
      const items = rows.filter((r) => r.def.move === move.id).sort((a, b) => a.def.order - b.def.order);
      const details = el("details", { class: ["move-group", index === current ? "current" : ""], dataset: { move: move.id } },
        el("summary", {},
          el("span", { class: "move-name", text: move.title }),
          el("span", { class: "muted small", text: ` · ${items.filter((r) => r.status === "fired").length}/${items.length} sent` }),
          index === current ? el("span", { class: "state state-running", text: "current" }) : null),
        el("ol", { class: "inject-rows" }, items.map((row) => this.row(row, index === current))));
      details.open = this.openMoves.has(move.id) || (index === current && !this.openMoves.has(`closed:${move.id}`)) || (current < 0 && index === 0);
      details.addEventListener("toggle", () => {
        this.openMoves.delete(details.open ? `closed:${move.id}` : move.id);
        this.openMoves.add(details.open ? move.id : `closed:${move.id}`);
      });
      return details;
    }));
    this.tick();
  }

  row({ def, fired, pending, status }, isCurrentMove) {
    const audience = audienceLabel(this.model, def);
    const actions = el("div", { class: "row-actions button-row" });
    const act = (label, type, cls = "small secondary", extra = {}) =>
      el("button", { type: "button", class: cls, text: label, on: { click: () => this.command(type, { inject_id: def.id, ...extra }) } });
    const conditional = Boolean(pending?.condition);
    if (status === "skipped" && pending?.skip_reason) {
      // Skipped by its condition: say why, and let the White Cell override or check again.
      actions.append(act("Fire anyway", "inject.fire", "small primary", { override: true }),
        act("Check again", "inject.release"));
    } else if (status === "queued") {
      actions.append(act("Release now", "inject.fire", "small primary"), act("Skip", "inject.skip", "small link"));
    } else if (status !== "fired") {
      const fire = act("Fire now", "inject.fire", "small primary");
      // The server sends no inject before the first move starts: say so instead of refusing.
      if (this.model.state.status === "lobby") {
        fire.disabled = true;
        fire.setAttribute("aria-describedby", "timeline-lobby-note");
      }
      actions.append(fire);
      if (conditional) actions.append(act("Fire anyway", "inject.fire", "small secondary", { override: true }));
      if (status === "pending") actions.append(act("Hold", "inject.hold"));
      if (status === "held" || status === "skipped") actions.append(act("Release", "inject.release"));
      if (status !== "skipped") actions.append(act("Skip", "inject.skip", "small link"));
    } else if (fired.deadline_open) {
      // Delegations asking for more time: one click gives them what they asked for.
      for (const request of fired.time_requests || []) {
        actions.append(el("span", { class: "time-request-note", dataset: { delegation: request.delegation } },
          el("strong", { text: `${request.delegation} asks for +${request.minutes} min` }),
          request.by?.name ? el("span", { class: "muted small", text: ` (${request.by.name})` }) : null),
        el("button", { type: "button", class: "small primary", text: `Give +${request.minutes} min`, on: { click: () =>
          this.command("deadline.extend", { inject_id: def.id, minutes: request.minutes }, `Deadline extended by ${request.minutes} min.`) } }));
      }
      const minutes = el("select", { id: `extend-${def.id}`, "aria-label": `Extend the deadline of ${def.title} by` },
        [1, 2, 5, 10].map((m) => el("option", { value: String(m), text: `+${m} min` })));
      actions.append(minutes,
        el("button", { type: "button", class: "small secondary", text: "Extend", on: { click: () => this.command("deadline.extend", { inject_id: def.id, minutes: Number(minutes.value) }) } }),
        act("Close deadline", "deadline.close", "small link"));
    }
    const when = status === "fired"
      ? el("span", { class: "muted small", text: `sent ${clockTime(fired.fired_at)}` })
      : status === "queued"
        ? el("span", { class: "muted small queued-note", text: this.queuedNote(pending) })
        : def.trigger === "scheduled"
          ? el("span", { class: "due muted small", dataset: { offset: String(def.offset_minutes), current: isCurrentMove ? "1" : "" }, text: `at +${def.offset_minutes} min` })
          : el("span", { class: "muted small", text: def.trigger === "reaction" ? "reaction (waits for a choice)" : "manual" });
    const reason = status === "skipped" && pending?.skip_reason
      ? el("p", { class: "skip-reason small", text: `Skipped by condition: ${pending.skip_reason}.` })
      : fired?.condition_overridden
        ? el("p", { class: "skip-reason small", text: `Fired despite its condition: ${fired.condition_overridden}.` })
        : null;
    const body = el("details", { class: "row-detail" }, el("summary", { text: "Text and teaching notes" }),
      paragraphs(def.body),
      (def.response_options || []).length ? el("ul", { class: "option-list small" }, def.response_options.map((o) => el("li", { text: o.text }))) : null,
      def.teaching_point ? el("p", { class: "small" }, el("strong", { text: "Teaching point: " }), def.teaching_point) : null,
      def.expected_action ? el("p", { class: "small" }, el("strong", { text: "Expected action: " }), def.expected_action) : null);
    body.open = this.openRows.has(def.id);
    body.addEventListener("toggle", () => (body.open ? this.openRows.add(def.id) : this.openRows.delete(def.id)));
    return el("li", { class: ["inject-row", `row-${status}`], id: `row-${def.id}`, dataset: { injectId: def.id, status } },
      el("div", { class: "row-main" },
        el("span", { class: ["state", `state-${status}`], text: status }),
        el("span", { class: "row-title", text: def.title }),
        def.hypothetical ? el("span", { class: "tag tag-hypothetical", text: "Hypothetical" }) : null,
        def.reaction ? el("span", { class: "tag tag-reaction", text: def.speaker ? `Reaction · ${def.speaker}` : "Reaction" }) : null,
        conditional ? el("span", { class: "tag tag-conditional", text: "Conditional" }) : null,
        audience ? el("span", { class: "tag tag-private", text: `${audience} only` }) : null),
      el("div", { class: "row-meta" }, when, fired ? deadlineBadge(fired) : null),
      reason, actions, body);
  }

  /** What provoked a queued reaction and when it is ready. */
  queuedNote(pending) {
    const cause = pending?.cause || {};
    const option = this.optionText(cause.option);
    const how = cause.how === "stated" ? `stated by ${cause.delegation}` : "adopted";
    const release = pending?.release === "automatic" ? "fires by itself" : "waits for you";
    return `queued after “${option}” was ${how}; ready ${clockTime(pending?.due_at)}, ${release}`;
  }

  optionText(id) {
    for (const inject of this.model.scenario.injects || []) {
      const option = (inject.response_options || []).find((o) => o.id === id);
      if (option) return option.text;
    }
    return id || "?";
  }

  /** Refresh "due in" countdowns of scheduled injects of the current move. */
  tick() {
    const elapsed = this.model.moveElapsed();
    for (const due of this.list.querySelectorAll(".due[data-current='1']")) {
      const left = Number(due.dataset.offset) * 60 - elapsed;
      const row = due.closest(".inject-row");
      const held = row?.dataset.status !== "pending";
      const text = held ? `at +${due.dataset.offset} min` : left > 0 ? `due in ${duration(left)}` : "due now";
      if (due.textContent !== text) due.textContent = text;
    }
  }

  writeForm() {
    const codes = () => this.model.scenario?.delegations || [];
    const title = el("input", { id: "write-title", maxlength: "200", required: true });
    const body = el("textarea", { id: "write-body", rows: "4", maxlength: "4000", required: true });
    const options = el("textarea", { id: "write-options", rows: "3", placeholder: "One option per line (optional)" });
    const deadline = el("input", { id: "write-deadline", type: "number", min: "1", max: "240", placeholder: "none" });
    const audienceBox = el("div", { class: "audience-picks" });
    const form = el("form", { class: "inline-form write-form", on: { submit: async (event) => {
      event.preventDefault();
      const picked = Array.from(audienceBox.querySelectorAll("input:checked")).map((i) => i.value);
      const fields = {
        title: title.value.trim(),
        body: body.value.trim(),
        audience: picked.length === codes().length || !picked.length ? "all" : picked,
      };
      const lines = options.value.split("\n").map((l) => l.trim()).filter(Boolean);
      if (lines.length) fields.options = lines;
      if (deadline.value) fields.deadline_minutes = Number(deadline.value);
      const ack = await this.command("inject.write", fields, "Inject sent.");
      if (ack.ok) { form.reset(); details.open = false; }
    } } },
    el("div", { class: "field" }, el("label", { for: "write-title", text: "Title" }), title),
    el("div", { class: "field" }, el("label", { for: "write-body", text: "Text" }), body),
    el("fieldset", {}, el("legend", { text: "Send to (none ticked: everyone)" }), audienceBox),
    el("div", { class: "field" }, el("label", { for: "write-options", text: "Response options" }), options),
    el("div", { class: "field" }, el("label", { for: "write-deadline", text: "Response deadline (minutes)" }), deadline),
    this.writeButton = el("button", { type: "submit", class: "primary", text: "Send inject now" }));
    const details = el("details", { class: "write-inject" }, el("summary", { text: "Write an inject" }), form);
    details.addEventListener("toggle", () => {
      if (details.open && !audienceBox.firstChild) {
        audienceBox.append(...codes().map((d) => el("div", { class: "check" },
          el("input", { type: "checkbox", id: `write-to-${d.code}`, value: d.code }),
          el("label", { for: `write-to-${d.code}`, text: d.name }))));
      }
    });
    return details;
  }
}
