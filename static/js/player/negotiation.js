// The Negotiation tab: for each inject our delegation received (newest first) a form to table
// a proposal, the proposals with their versions and stances, and the lead's unilateral
// statement; then general proposals not tied to an inject.
import { el, notify, replace } from "../lib/dom.js";
import { deadlineBadge, updateDeadlines } from "../lib/injects.js";
import { displayStatus, optionsFieldset, pickedOptions, ProposalCard, STATE_HELP } from "../lib/proposals.js";

const GENERAL = "general";

export class NegotiationView {
  constructor(model, conn, root) {
    this.model = model;
    this.conn = conn;
    this.root = root;
    this.sections = new Map(); // inject id (or GENERAL) -> {node, list, cards: Map}
    this.intro = el("p", { class: "panel-lead", text: "Draft joint responses with the other delegations. A version endorsed by all the delegations an inject went to is adopted." });
    this.container = el("div", { class: "workspace" });
    const help = el("details", { class: "state-legend" }, el("summary", { text: "What the states mean" }),
      el("ul", { class: "state-help" }, Object.values(STATE_HELP).map((line) => el("li", { text: line }))));
    replace(root, el("h2", { class: "panel-title", text: "Negotiation" }), this.intro, help, this.container);
  }

  /** Bring the page in line with the model; keeps open forms and typed text. */
  refresh() {
    const injects = this.model.state.injects.slice().reverse();
    const wanted = [...injects.map((i) => i.id), GENERAL];
    for (const id of wanted) if (!this.sections.has(id)) this.sections.set(id, this.section(id));
    // Newest inject first; move nodes only when the order is wrong (moving blurs a field).
    wanted.forEach((id, index) => {
      const node = this.sections.get(id).node;
      if (this.container.children[index] !== node) this.container.insertBefore(node, this.container.children[index] || null);
    });
    for (const proposal of this.model.state.proposals) this.showProposal(proposal);
    for (const id of wanted) this.refreshSection(id);
    updateDeadlines(this.model, this.container);
  }

  section(id) {
    const inject = id === GENERAL ? null : this.model.inject(id);
    const list = el("div", { class: "proposal-list" });
    const tableForm = this.tableForm(inject);
    const statement = el("div", { class: "statement-slot" });
    const node = el("section", { class: "card workspace-section", id: `work-${id}`, tabindex: "-1", "aria-labelledby": `work-title-${id}` },
      el("header", { class: "workspace-head" },
        el("h3", { id: `work-title-${id}`, text: inject ? inject.title : "General proposals (not tied to an inject)" }),
        inject ? deadlineBadge(inject) : null),
      list,
      el("details", { class: "table-proposal" }, el("summary", { text: "Table a new proposal" }), tableForm),
      statement);
    return { node, list, cards: new Map(), inject, statement, tableForm };
  }

  refreshSection(id) {
    const section = this.sections.get(id);
    const inject = id === GENERAL ? null : this.model.inject(id);
    const ended = this.model.state.status === "ended";
    // Nothing can be tabled before the first move starts (the server refuses it).
    const lobby = this.model.state.status === "lobby";
    const closed = ended || lobby || (inject && (inject.outcome || (inject.deadline_at && !inject.deadline_open)));
    section.node.classList.toggle("closed", Boolean(closed && !lobby));
    section.node.querySelector(".table-proposal").hidden = Boolean(closed);
    section.node.querySelector(".table-endorse").hidden = !this.model.you.lead;
    const you = this.model.you;
    // A closed deadline ends the joint negotiation, not a lead's voice: the server still takes
    // a unilateral statement then (it is what a delegation does when no consensus came).
    if (you.lead && !ended && !section.statementForm) {
      section.statementForm = this.statementForm(inject);
      section.statement.appendChild(el("details", { class: "statement" }, el("summary", { text: "Issue a unilateral statement (lead)" }), section.statementForm));
    }
    section.statement.hidden = !you.lead || ended || lobby;
    if (!section.cards.size && !section.list.firstChild) {
      section.list.appendChild(el("p", { class: "muted empty", text: "No proposal on the table yet." }));
    }
  }

  showProposal(proposal) {
    const id = proposal.inject_id || GENERAL;
    if (!this.sections.has(id)) return this.refresh();
    const section = this.sections.get(id);
    const existing = section.cards.get(proposal.id);
    if (existing) {
      const before = existing.proposal.status;
      existing.update(proposal);
      if (before !== proposal.status) this.order(section);
      return;
    }
    const card = new ProposalCard({ model: this.model, conn: this.conn, proposal, mode: "player" });
    section.cards.set(proposal.id, card);
    section.list.querySelector(".empty")?.remove();
    this.order(section);
  }

  order(section) {
    const cards = Array.from(section.cards.values()).sort((a, b) =>
      (a.proposal.status === "open" ? 0 : 1) - (b.proposal.status === "open" ? 0 : 1) || b.proposal.id - a.proposal.id);
    cards.forEach((card, index) => {
      if (section.list.children[index] !== card.node) section.list.insertBefore(card.node, section.list.children[index] || null);
    });
  }

  tableForm(inject) {
    const key = inject ? inject.id : GENERAL;
    const text = el("textarea", { id: `table-${key}-text`, rows: "4", maxlength: "4000", required: true });
    let endorseToo = false;
    const form = el("form", { class: "inline-form", on: { submit: async (event) => {
      event.preventDefault();
      const alsoEndorse = endorseToo && this.model.you.lead;
      endorseToo = false;
      const body = text.value.trim();
      if (!body) return notify("Write the text of the proposal first.", "error");
      const known = new Set(this.model.state.proposals.map((p) => p.id));
      const ack = await this.conn.send("proposal.table", { inject_id: inject ? inject.id : null, text: body, options: pickedOptions(form) });
      if (!ack.ok) return notify(ack.error.message, "error");
      text.value = "";
      form.querySelectorAll(".option-picks input").forEach((i) => (i.checked = false));
      form.closest("details").open = false;
      // The form just closed under the reader's focus: move it to the section the proposal is in.
      this.sections.get(key)?.node.focus();
      if (!alsoEndorse) return notify("Proposal tabled.");
      const proposal = await this.tabledAfter(known);
      if (!proposal) return notify("Proposal tabled; endorse it from its card.");
      const endorsed = await this.conn.send("proposal.endorse", { proposal_id: proposal.id, version: proposal.version });
      if (endorsed.ok) notify(`Proposal ${proposal.id} tabled and endorsed by ${this.model.you.delegation}.`);
      else notify(`Proposal tabled, but not endorsed: ${endorsed.error.message}`, "error");
    } } },
    el("label", { for: text.id, text: "Proposed joint text" }), text,
    optionsFieldset(inject, [], `table-${key}`),
    el("div", { class: "form-actions" },
      el("button", { type: "submit", class: "primary", text: "Table proposal" }),
      // A lead who tables a text usually stands behind it: one click records both.
      el("button", { type: "submit", class: "secondary table-endorse", text: "Table and endorse", on: { click: () => { endorseToo = true; } } })));
    return form;
  }

  /** The proposal our seat has just tabled: the first of ours not among `known` (waits for its
   * event, which may arrive after the acknowledgement). */
  tabledAfter(known) {
    const find = () => this.model.state.proposals.find((p) =>
      !known.has(p.id) && p.author?.kind === "player" && p.author?.id === this.model.you.player_id);
    return new Promise((resolve) => {
      const start = Date.now();
      const poll = () => {
        const found = find();
        if (found || Date.now() - start > 10000) return resolve(found || null);
        setTimeout(poll, 100);
      };
      poll();
    });
  }

  statementForm(inject) {
    const key = inject ? inject.id : GENERAL;
    const text = el("textarea", { id: `statement-${key}-text`, rows: "3", maxlength: "4000", required: true });
    const form = el("form", { class: "inline-form", on: { submit: async (event) => {
      event.preventDefault();
      const body = text.value.trim();
      if (!body) return notify("Write the statement first.", "error");
      const ack = await this.conn.send("statement.issue", { inject_id: inject ? inject.id : null, text: body, options: pickedOptions(form) });
      if (ack.ok) {
        text.value = "";
        form.closest("details").open = false;
        notify("Statement issued.");
      } else notify(ack.error.message, "error");
    } } },
    el("p", { class: "muted small", text: "Speaks for your delegation alone. Unilateral moves count for less than joint ones, and everyone sees them." }),
    el("label", { for: text.id, text: "Statement" }), text,
    optionsFieldset(inject, [], `statement-${key}`),
    el("div", { class: "form-actions" }, el("button", { type: "submit", class: "secondary", text: "Issue statement" })));
    return form;
  }

  /** Open proposals waiting for our delegation's position on their current version. */
  awaiting() {
    // Only a lead can act on "awaiting your position": other seats get no badge they cannot clear.
    if (!this.model.you.lead) return 0;
    const code = this.model.you.delegation;
    return this.model.state.proposals.filter((p) => {
      if (p.status !== "open") return false;
      if (displayStatus(p) === "rejected") return false; // waits for an amendment, not for us
      const position = p.positions?.[code];
      return !position || position.version !== p.version;
    }).length;
  }

  focusInject(id) {
    const section = this.sections.get(id);
    if (!section) return;
    const details = section.node.querySelector(".table-proposal");
    if (details && !details.hidden) details.open = true;
    section.node.scrollIntoView({ block: "start" });
    section.node.querySelector("textarea")?.focus({ preventScroll: true });
  }
}
