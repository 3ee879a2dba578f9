// Every proposal of the session, grouped by inject, with each delegation's stance and the
// red lines a version crosses for any delegation.
import { el, replace } from "../lib/dom.js";
import { ProposalCard } from "../lib/proposals.js";

export class ProposalBoard {
  constructor(model, root) {
    this.model = model;
    this.cards = new Map();
    this.groups = new Map();
    this.onlyOpen = false;
    const filterId = "proposals-open-only";
    this.list = el("div", { class: "proposal-board" });
    this.empty = el("p", { class: "muted", text: "No proposal yet." });
    const filter = el("div", { class: "check" },
      el("input", { type: "checkbox", id: filterId, on: { change: (e) => { this.onlyOpen = e.target.checked; this.applyFilter(); } } }),
      el("label", { for: filterId, text: "Open proposals only" }));
    replace(root, el("div", { class: "section-head" }, root.querySelector("h2"), filter), this.empty, this.list);
  }

  refresh() {
    for (const proposal of this.model.state.proposals) this.show(proposal);
  }

  group(injectId) {
    const key = injectId || "general";
    if (!this.groups.has(key)) {
      const inject = injectId ? this.model.inject(injectId) : null;
      const node = el("section", { class: "proposal-group", dataset: { inject: key } },
        el("h3", { class: "group-title", text: inject ? inject.title : "General proposals" }),
        el("div", { class: "proposal-list" }));
      this.groups.set(key, node);
      this.list.prepend(node); // newest inject first
    }
    return this.groups.get(key);
  }

  show(proposal) {
    const existing = this.cards.get(proposal.id);
    if (existing) existing.update(proposal);
    else {
      const card = new ProposalCard({ model: this.model, proposal, mode: "facilitator" });
      this.cards.set(proposal.id, card);
      this.group(proposal.inject_id).querySelector(".proposal-list").prepend(card.node);
    }
    this.empty.hidden = this.cards.size > 0;
    this.applyFilter();
  }

  applyFilter() {
    for (const card of this.cards.values()) card.node.hidden = this.onlyOpen && card.proposal.status !== "open";
    for (const group of this.groups.values()) {
      group.hidden = !Array.from(group.querySelectorAll(".proposal")).some((n) => !n.hidden);
    }
  }
}
