// A proposal card: current text and options, red-line warnings, each delegation's stance,
// versions with a word diff, and (for players) the actions their seat allows.
import { renderDiff } from "./diff.js";
import { clockTime, el, notify, paint, replace } from "./dom.js";
import { optionText } from "./injects.js";

const STANCE = { endorse: "Endorsed", reject: "Rejected", reserve: "Reserved" };
const STATUS = { open: "Open", rejected: "Rejected", adopted: "Adopted", withdrawn: "Withdrawn", closed: "Closed" };

/** One line per state, shown under the Negotiation tab's title and on each card. */
export const STATE_HELP = {
  open: "Open: waiting for every lead to endorse the current version.",
  rejected: "Rejected: a lead said no to the current version; amend it (a new version) or withdraw it.",
  adopted: "Adopted: every lead endorsed the same version; it is the joint response.",
  closed: "Closed: the deadline passed, the session ended, or another proposal was adopted.",
  withdrawn: "Withdrawn: the delegation that tabled it took it back.",
};

/** The delegations that rejected the current version of an open proposal. */
export function rejectedBy(proposal) {
  return Object.entries(proposal.positions || {})
    .filter(([, p]) => p.stance === "reject" && p.version === proposal.version)
    .map(([code]) => code)
    .sort();
}

/** The state a reader sees: an open proposal whose current version a lead rejected reads
 * "Rejected" (the server keeps it open, so an amendment can save it). */
export function displayStatus(proposal) {
  return proposal.status === "open" && rejectedBy(proposal).length ? "rejected" : proposal.status;
}

/** The delegations a proposal is for (its inject's audience, or all). */
export function proposalDelegations(model, proposal) {
  const inject = proposal.inject_id ? model.inject(proposal.inject_id) : null;
  const all = (model.scenario?.delegations || []).map((d) => d.code);
  return inject && Array.isArray(inject.audience) ? inject.audience : all;
}

/** One delegation's stance on a proposal: {label, kind, stale, reason}. */
export function stanceOf(proposal, code) {
  const position = proposal.positions?.[code];
  if (!position) return { label: "No position yet", kind: "none", stale: false, reason: "" };
  const stale = position.version !== proposal.version;
  const label = `${STANCE[position.stance] || position.stance} v${position.version}`;
  return { label: stale ? `${label} (older version)` : label, kind: position.stance, stale, reason: position.reason || "" };
}

/** Checkboxes for the response options of an inject (none for a general proposal). */
export function optionsFieldset(inject, selected, idPrefix) {
  const options = inject?.response_options || [];
  if (!options.length) return null;
  return el("fieldset", { class: "option-picks" },
    el("legend", { text: "Response options (choose any)" }),
    options.map((o) => {
      const id = `${idPrefix}-${o.id}`;
      return el("div", { class: "check" },
        el("input", { type: "checkbox", id, value: o.id, checked: selected.includes(o.id) }),
        el("label", { for: id, text: o.text }));
    }));
}

export function pickedOptions(form) {
  return Array.from(form.querySelectorAll(".option-picks input:checked")).map((i) => i.value);
}

export class ProposalCard {
  /** @param {object} options  model, conn, proposal, mode ("player" | "facilitator") */
  constructor(options) {
    this.o = options;
    this.model = options.model;
    // The card itself takes focus after an action (tabindex -1): its inner parts are redrawn
    // when the server's event arrives, and focus on a removed node falls back to <body>.
    this.node = el("article", { class: "card proposal", id: `proposal-${options.proposal.id}`, tabindex: "-1",
      "aria-labelledby": `proposal-title-${options.proposal.id}`, dataset: { proposalId: String(options.proposal.id) } });
    this.body = el("div", { class: "proposal-body" });
    this.actions = el("div", { class: "proposal-actions" });
    this.node.append(this.body);
    if (options.mode === "player") this.node.append(this.actions);
    this.compare = null;
    this.update(options.proposal);
  }

  update(proposal) {
    this.proposal = proposal;
    this.node.className = `card proposal proposal-${proposal.status} proposal-shown-${displayStatus(proposal)}`;
    const inject = proposal.inject_id ? this.model.inject(proposal.inject_id) : null;
    replace(this.body, this.head(proposal), this.warnings(proposal), this.current(proposal, inject),
      this.stances(proposal), this.versions(proposal));
    if (this.o.mode === "player") this.renderActions(proposal, inject);
  }

  head(p) {
    const author = p.author || {};
    const colour = this.model.delegation(p.delegation)?.colour;
    return el("header", { class: "proposal-head" },
      el("h4", { class: "proposal-title", id: `proposal-title-${p.id}` }, `Proposal ${p.id}`, el("span", { class: "version-tag", text: ` · version ${p.version}` })),
      this.statusPill(p),
      el("p", { class: "proposal-by muted" },
        paint(el("span", { class: "del-tag", text: p.delegation }), colour),
        ` tabled by ${author.name || "?"} at ${clockTime(p.tabled_at)}`,
        p.closed_reason ? ` · closed: ${p.closed_reason}` : ""));
  }

  statusPill(p) {
    const shown = displayStatus(p);
    const text = shown === "rejected" ? `Rejected by ${rejectedBy(p).join(", ")}` : STATUS[shown] || shown;
    return el("span", { class: ["status", `status-${shown}`], title: STATE_HELP[shown] || "", text });
  }

  warnings(p) {
    const own = this.o.mode === "player" ? p.red_lines || [] : [];
    const byDelegation = this.o.mode === "facilitator" ? p.red_lines_by_delegation || {} : {};
    const items = [
      ...own.map((line) => el("li", {}, el("strong", { text: "Your red line: " }), line.text)),
      ...Object.entries(byDelegation).flatMap(([code, lines]) =>
        lines.map((line) => el("li", {}, el("strong", { text: `${code} red line: ` }), line.text))),
    ];
    if (!items.length) return null;
    return el("div", { class: "red-lines", role: "note" },
      el("p", { class: "red-lines-title", text: "⚠ This version crosses a red line" }),
      el("ul", {}, items));
  }

  current(p, inject) {
    const version = p.versions[p.versions.length - 1];
    const chosen = version.options || [];
    return el("div", { class: "proposal-current" },
      el("p", { class: "proposal-text", text: version.text }),
      chosen.length
        ? el("ul", { class: "chosen-options", "aria-label": "Chosen response options" },
            chosen.map((id) => el("li", { text: optionText(inject, id) })))
        : el("p", { class: "muted small", text: inject ? "No response option chosen." : "General proposal (no inject)." }));
  }

  stances(p) {
    const automatic = new Set(this.model.state?.automatic || []);
    return el("ul", { class: "stances", "aria-label": "Positions of the delegations" },
      proposalDelegations(this.model, p).map((code) => {
        const stance = stanceOf(p, code);
        const delegation = this.model.delegation(code);
        return paint(el("li", { class: ["stance", `stance-${stance.kind}`, stance.stale ? "stale" : ""], dataset: { delegation: code } },
          el("span", { class: "stance-who", text: delegation?.name || code }),
          automatic.has(code) ? el("span", { class: "muted small", text: " (automatic)" }) : null,
          el("span", { class: "stance-what", text: stance.label }),
          stance.reason ? el("span", { class: "stance-reason", text: `“${stance.reason}”` }) : null), delegation?.colour);
      }));
  }

  versions(p) {
    const count = p.versions.length;
    const details = el("details", { class: "versions" }, el("summary", { text: `Versions (${count})` }));
    if (this.versionsOpen) details.open = true;
    details.addEventListener("toggle", () => (this.versionsOpen = details.open));
    details.appendChild(el("ol", { class: "version-list" }, p.versions.map((v) =>
      el("li", {}, el("strong", { text: `v${v.n}` }), ` by ${v.author?.name || "?"} (${v.author?.delegation || "White Cell"}) at ${clockTime(v.at)}`))));
    if (count < 2) return details;
    const from = this.compare?.from && this.compare.from < count ? this.compare.from : count - 1;
    const to = this.compare?.to && this.compare.to <= count ? this.compare.to : count;
    const id = `diff-${p.id}`;
    const pick = (name, value) => el("select", { id: `${id}-${name}`, on: { change: () => this.setCompare(details) } },
      p.versions.map((v) => el("option", { value: String(v.n), selected: v.n === value, text: `v${v.n}` })));
    const diffBox = el("div", { class: "diff-box" }, renderDiff(p.versions[from - 1].text, p.versions[to - 1].text));
    details.appendChild(el("div", { class: "compare" },
      el("label", { for: `${id}-from`, text: "Compare" }), pick("from", from),
      el("label", { for: `${id}-to`, text: "with" }), pick("to", to)));
    details.appendChild(diffBox);
    return details;
  }

  setCompare(details) {
    const from = Number(details.querySelector("select[id$=-from]").value);
    const to = Number(details.querySelector("select[id$=-to]").value);
    this.compare = { from, to };
    this.versionsOpen = true;
    this.update(this.proposal);
  }

  // --- player actions -------------------------------------------------------------------------

  renderActions(p, inject) {
    const you = this.model.you || {};
    const open = p.status === "open" && this.model.state?.status !== "ended";
    if (!this.forms) this.buildForms();
    this.actions.hidden = !open;
    if (!open) return;
    const v = p.version;
    const own = p.positions?.[you.delegation];
    const endorsed = own && own.stance === "endorse" && own.version === v;
    // Once endorsed, the button says so; the lead may still reject or reserve instead.
    this.buttons.endorse.textContent = endorsed ? `Endorsed v${v} ✓` : `Endorse v${v}`;
    this.buttons.endorse.disabled = Boolean(endorsed);
    this.buttons.endorse.hidden = this.buttons.reject.hidden = this.buttons.reserve.hidden = !you.lead;
    // After a rejection of this version only the rejecting lead may still change its mind;
    // for everyone else the way on is an amendment.
    const rejecters = rejectedBy(p);
    if (rejecters.length && !rejecters.includes(you.delegation)) this.buttons.endorse.hidden = true;
    this.rejectNote.hidden = !rejecters.length;
    this.rejectNote.textContent = rejecters.length
      ? `${rejecters.join(", ")} rejected version ${v}: amend it to continue, or withdraw it.`
      : "";
    this.buttons.withdraw.hidden = p.delegation !== you.delegation;
    this.leadNote.hidden = Boolean(you.lead);
    const lead = (this.model.state?.players || []).find((pl) => pl.delegation === you.delegation && pl.lead);
    this.leadNote.textContent = lead
      ? `${lead.name}, your lead, records ${you.delegation}'s position.`
      : `${you.delegation} has no lead at the moment.`;
    if (this.forms.amend.hidden) {
      this.amendText.value = p.versions[p.versions.length - 1].text;
      replace(this.amendOptions, optionsFieldset(inject, p.versions[p.versions.length - 1].options, `amend-${p.id}`));
    }
  }

  buildForms() {
    const id = this.proposal.id;
    const button = (text, cls, onClick) => el("button", { type: "button", class: cls, text, on: { click: onClick } });
    this.buttons = {
      endorse: button("Endorse", "primary", () => this.position("endorse", "")),
      reject: button("Reject…", "danger-outline", () => this.openForm("reason", "reject")),
      reserve: button("Reserve…", "secondary", () => this.openForm("reason", "reserve")),
      amend: button("Amend…", "secondary", () => this.openForm("amend")),
      withdraw: button("Withdraw", "link danger", () => this.withdraw()),
    };
    this.leadNote = el("p", { class: "muted small lead-note" });
    this.rejectNote = el("p", { class: "small reject-note", hidden: true });
    this.reasonInput = el("textarea", { id: `reason-${id}`, rows: "2", maxlength: "1000" });
    this.reasonLabel = el("label", { for: `reason-${id}` });
    const reasonForm = el("form", { class: "inline-form", hidden: true, on: { submit: (e) => { e.preventDefault(); this.position(this.reasonStance, this.reasonInput.value.trim()); } } },
      this.reasonLabel, this.reasonInput,
      el("div", { class: "form-actions" },
        this.reasonSubmit = el("button", { type: "submit", class: "primary" }),
        button("Cancel", "link", () => this.closeForms(true))));
    this.amendText = el("textarea", { id: `amend-${id}-text`, rows: "4", maxlength: "4000" });
    this.amendOptions = el("div");
    const amendForm = el("form", { class: "inline-form", hidden: true, on: { submit: (e) => this.amend(e) } },
      el("label", { for: `amend-${id}-text`, text: "Amended text" }), this.amendText, this.amendOptions,
      el("div", { class: "form-actions" },
        el("button", { type: "submit", class: "primary", text: "Table amendment" }),
        button("Cancel", "link", () => this.closeForms(true))));
    this.forms = { reason: reasonForm, amend: amendForm };
    replace(this.actions,
      this.rejectNote,
      el("div", { class: "button-row" }, Object.values(this.buttons)),
      this.leadNote, reasonForm, amendForm);
  }

  openForm(name, stance) {
    this.closeForms();
    const form = this.forms[name];
    form.hidden = false;
    if (name === "reason") {
      this.reasonStance = stance;
      const required = stance === "reject";
      this.reasonLabel.textContent = required ? "Why does your delegation reject this version? (required)" : "Reservation (optional)";
      this.reasonInput.required = required;
      this.reasonSubmit.textContent = required ? `Reject v${this.proposal.version}` : `Reserve on v${this.proposal.version}`;
      this.reasonInput.focus();
    } else {
      this.amendText.focus();
    }
  }

  closeForms(focusCard = false) {
    for (const form of Object.values(this.forms)) form.hidden = true;
    this.reasonInput.value = "";
    this.update(this.proposal);
    if (focusCard) this.node.focus();
  }

  async position(stance, reason) {
    if (stance === "reject" && !reason) {
      notify("A rejection needs a reason your partners can answer.", "error");
      this.reasonInput.focus();
      return;
    }
    const fields = { proposal_id: this.proposal.id, version: this.proposal.version };
    if (stance !== "endorse" && reason) fields.reason = reason;
    const ack = await this.o.conn.send(`proposal.${stance}`, fields);
    if (ack.ok) {
      this.closeForms(true); // the button or form used is gone or disabled: focus the card
      notify(`${STANCE[stance]} version ${fields.version} of proposal ${fields.proposal_id}.`);
    } else notify(ack.error.message, "error");
  }

  async amend(event) {
    event.preventDefault();
    const text = this.amendText.value.trim();
    if (!text) return notify("The amended text is empty.", "error");
    const ack = await this.o.conn.send("proposal.amend", {
      proposal_id: this.proposal.id, text, options: pickedOptions(this.forms.amend),
    });
    if (ack.ok) {
      this.forms.amend.hidden = true;
      this.update(this.proposal);
      this.node.focus();
      notify(`Amendment tabled on proposal ${this.proposal.id}.`);
    } else notify(ack.error.message, "error");
  }

  async withdraw() {
    const button = this.buttons.withdraw;
    // Two steps instead of a confirm() dialog: a slip of the finger should not withdraw.
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = "Confirm withdrawal";
      setTimeout(() => { delete button.dataset.armed; button.textContent = "Withdraw"; }, 5000);
      return;
    }
    const ack = await this.o.conn.send("proposal.withdraw", { proposal_id: this.proposal.id });
    if (!ack.ok) notify(ack.error.message, "error");
  }
}
