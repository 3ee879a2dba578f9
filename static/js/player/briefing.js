// The Briefing tab: the scenario, the current move, our delegation's private briefing,
// objectives and red lines, everyone's public briefing, and who sits where.
import { el, paint, paragraphs, replace, store } from "../lib/dom.js";
import { SEAT_KEY } from "../lib/keys.js";
import { presenceMark } from "../lib/presence.js";

export function renderBriefing(model, root) {
  const you = model.you;
  const own = model.delegation(you.delegation);
  const move = model.currentMove();
  const others = model.scenario.delegations.filter((d) => d.code !== you.delegation);
  replace(root,
    el("div", { class: "briefing-grid" },
      el("div", { class: "briefing-main" },
        el("section", { class: "card scenario-card" },
          el("p", { class: "eyebrow", text: "Scenario" }),
          el("h2", { text: model.scenario.title }),
          paragraphs(model.scenario.summary)),
        move
          ? el("section", { class: "card move-card" },
              el("p", { class: "eyebrow", text: `Move ${model.state.clock.move_index + 1} of ${model.scenario.moves.length}` }),
              el("h3", { text: move.title }), paragraphs(move.summary))
          : el("section", { class: "card move-card" },
              el("p", { class: "eyebrow", text: "Lobby" }),
              el("h3", { text: "Waiting for the facilitator to start the first move" }),
              el("p", { text: "Read your briefing now: your objectives and red lines are for your delegation only." })),
        paint(el("section", { class: "card own-briefing del-accent", "aria-labelledby": "own-briefing-title" },
          el("p", { class: "eyebrow", text: "Confidential — your delegation only" }),
          el("h2", { id: "own-briefing-title", text: `${own.name}: private briefing` }),
          briefingUpdates(model),
          paragraphs(own.private_briefing),
          el("h3", { text: "Objectives" }),
          el("ol", { class: "objectives" }, (own.objectives || []).map((o) => el("li", { text: o.text }))),
          el("h3", { text: "Red lines" }),
          el("ul", { class: "red-line-list" }, (own.red_lines || []).map((r) => el("li", { text: r.text })))), own.colour),
        paint(el("section", { class: "card del-accent" },
          el("p", { class: "eyebrow", text: "Public briefing" }),
          el("h3", { text: own.name }), paragraphs(own.public_briefing)), own.colour),
        others.map((d) => paint(el("section", { class: "card del-accent" },
          el("p", { class: "eyebrow", text: "Public briefing" }),
          el("h3", { text: d.name }), paragraphs(d.public_briefing)), d.colour))),
      el("aside", { class: "briefing-side" }, roster(model), seatCode(model), leaveSeat())));
}

function seatCode(model) {
  // The seat follows the person: this code (and the session code) moves it to another device.
  const code = model.you.reclaim_code;
  if (!code) return null;
  return el("section", { class: "card seat-code-card", id: "seat-code-card", "aria-labelledby": "seat-code-title" },
    el("h3", { id: "seat-code-title", text: "Continue on another device" }),
    el("p", { class: "small", text: "On the join page there, choose “I already have a seat” and enter the join code and your seat code:" }),
    el("p", { class: "seat-code" }, el("code", { id: "seat-code", text: code })),
    el("p", { class: "muted small", text: "Keep it to yourself: it moves your seat (same delegation, role and history), and this page then stops acting for it." }));
}

/** Re-render the seat code only (the facilitator may reissue it). */
export function refreshSeatCode(model, root) {
  const old = root.querySelector("#seat-code-card");
  const fresh = seatCode(model);
  if (old && fresh) old.replaceWith(fresh);
}

/** What our government has learnt at the start of each move so far, latest first. */
function briefingUpdates(model) {
  const updates = (model.state.briefing_updates || []).slice().reverse();
  if (!updates.length) return null;
  const title = (id) => (model.scenario.moves.find((m) => m.id === id)?.title || id).split("—")[0].trim();
  return el("section", { class: "briefing-updates", "aria-label": "Briefing updates" },
    updates.map((u) => el("div", { class: "briefing-update" },
      el("h3", { text: `Update at the start of ${title(u.move)}` }), paragraphs(u.text))));
}

function leaveSeat() {
  // A shared classroom computer: let the next student join without the last one's seat.
  const button = el("button", { type: "button", class: "link small", text: "Not you? Leave this seat on this browser" });
  button.addEventListener("click", () => {
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = "Confirm: forget this seat here";
      setTimeout(() => { delete button.dataset.armed; button.textContent = "Not you? Leave this seat on this browser"; }, 5000);
      return;
    }
    store.remove(SEAT_KEY);
    window.location.assign("/join?new=1");
  });
  return el("p", { class: "leave-seat" }, button);
}

function roster(model) {
  return el("section", { class: "card roster-card", "aria-labelledby": "roster-title" },
    el("h3", { id: "roster-title", text: "Delegations" }),
    model.scenario.delegations.map((d) => {
      const players = model.state.players.filter((p) => p.delegation === d.code);
      const automatic = (model.state.automatic || []).includes(d.code);
      return paint(el("div", { class: "roster-group del-accent" },
        el("h4", {}, d.name, automatic ? el("span", { class: "muted small", text: " · played by the server" }) : null),
        players.length
          ? el("ul", { class: "people" }, players.map((p) => el("li", { class: p.id === model.you.player_id ? "me" : "" },
              el("span", { text: p.name }), el("span", { class: "muted", text: ` · ${p.role_title}` }),
              p.lead ? el("span", { class: "badge badge-lead", text: "Lead" }) : null,
              presenceMark(model.isOnline(p.id)))))
          : el("p", { class: "muted small", text: "Nobody seated yet." })), d.colour);
    }));
}

/** Re-render the roster only (players change often; the briefing text does not). */
export function refreshRoster(model, root) {
  const old = root.querySelector(".roster-card");
  if (old) old.replaceWith(roster(model));
}

