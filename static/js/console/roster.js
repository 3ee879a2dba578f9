// The roster: who sits in which delegation and who is online; move a seat, set the lead (also
// when a lead is offline), show or reissue a seat code, remove a player, and let the server
// play a delegation nobody is seated for.
import { el, paint, replace } from "../lib/dom.js";
import { presenceMark } from "../lib/presence.js";

export class RosterView {
  constructor(model, root, command) {
    this.model = model;
    this.command = command;
    this.body = el("div", { class: "roster" });
    this.shownCodes = new Set(); // players whose seat code the facilitator chose to show
    replace(root, root.querySelector("h2"), this.body);
  }

  render() {
    const model = this.model;
    const automatic = new Set(model.state.automatic || []);
    replace(this.body, model.scenario.delegations.map((d) => {
      const players = model.state.players.filter((p) => p.delegation === d.code);
      const toggleId = `auto-${d.code}`;
      return paint(el("section", { class: "roster-group del-accent", dataset: { delegation: d.code } },
        el("div", { class: "roster-head" },
          el("h3", {}, el("span", { class: "del-tag", text: d.code }), ` ${d.name}`,
            el("span", { class: "muted small", text: ` · ${players.length} seated` })),
          el("div", { class: "check switch" },
            el("input", { type: "checkbox", id: toggleId, checked: automatic.has(d.code), on: { change: (e) =>
              this.command("delegation.set_automatic", { delegation: d.code, automatic: e.target.checked },
                e.target.checked ? `${d.name} is now played by the server.` : `${d.name} is played by its seats.`) } }),
            el("label", { for: toggleId, text: "Automatic" }))),
        this.leadOffline(d, players, automatic),
        players.length
          ? el("ul", { class: "roster-players" }, players.map((p) => this.player(p)))
          : el("p", { class: "muted small", text: "Nobody seated." })), d.colour);
    }));
  }

  /** A lead who is offline cannot endorse: say so, next to the "Make lead" buttons. */
  leadOffline(d, players, automatic) {
    const lead = players.find((p) => p.lead);
    if (!lead || automatic.has(d.code) || this.model.isOnline(lead.id) || this.model.state.status === "ended") return null;
    const others = players.filter((p) => !p.lead && this.model.isOnline(p.id)).length;
    return el("p", { class: "lead-offline small", role: "note" },
      el("strong", { text: `${lead.name} (lead) is offline.` }),
      others ? " Make another player lead so the delegation can still endorse." : " Nobody else of the delegation is online.");
  }

  /** The seat code (to move a seat to another device): shown on request, reissued with a click. */
  seatCode(p) {
    const code = this.model.reclaimCodes?.[p.id];
    if (!code) return null;
    const shown = this.shownCodes.has(p.id);
    const toggle = el("button", { type: "button", class: "small link", text: shown ? "Hide seat code" : "Seat code",
      "aria-expanded": shown ? "true" : "false", on: { click: () => {
        if (shown) this.shownCodes.delete(p.id);
        else this.shownCodes.add(p.id);
        this.render();
      } } });
    if (!shown) return toggle;
    const reissue = el("button", { type: "button", class: "small link", text: "Reissue", on: { click: () => {
      if (!reissue.dataset.armed) {
        reissue.dataset.armed = "1";
        reissue.textContent = "Confirm: new code (the old one stops working)";
        setTimeout(() => { delete reissue.dataset.armed; reissue.textContent = "Reissue"; }, 5000);
        return;
      }
      this.command("seat.reissue_code", { player_id: p.id }, `${p.name} has a new seat code.`);
    } } });
    return el("span", { class: "seat-code-inline" }, toggle, " ", el("code", { class: "seat-code-value", text: code }), " ", reissue);
  }

  player(p) {
    const others = this.model.scenario.delegations.filter((d) => d.code !== p.delegation);
    const selectId = `move-${p.id}`;
    const select = el("select", { id: selectId }, others.map((d) => el("option", { value: d.code, text: d.name })));
    const remove = el("button", { type: "button", class: "small link danger", text: "Remove", on: { click: () => {
      if (!remove.dataset.armed) {
        remove.dataset.armed = "1";
        remove.textContent = `Confirm: remove ${p.name}`;
        setTimeout(() => { delete remove.dataset.armed; remove.textContent = "Remove"; }, 5000);
        return;
      }
      this.command("seat.remove", { player_id: p.id }, `${p.name} removed.`);
    } } });
    return el("li", { class: "roster-player", dataset: { playerId: String(p.id) } },
      el("div", { class: "who" },
        el("strong", { text: p.name }), el("span", { class: "muted small", text: ` · ${p.role_title}` }),
        p.lead ? el("span", { class: "badge badge-lead", text: "Lead" }) : null,
        presenceMark(this.model.isOnline(p.id)), " ", this.seatCode(p)),
      el("div", { class: "button-row" },
        p.lead ? null : el("button", { type: "button", class: "small secondary", text: "Make lead", on: { click: () =>
          this.command("seat.set_lead", { delegation: p.delegation, player_id: p.id }, `${p.name} now leads ${p.delegation}.`) } }),
        el("label", { for: selectId, class: "sr-only", text: `Move ${p.name} to` }), select,
        el("button", { type: "button", class: "small secondary", text: "Move", on: { click: () =>
          this.command("seat.move", { player_id: p.id, delegation: select.value }, `${p.name} moved to ${select.value}.`) } }),
        remove));
  }
}
