// The projector: what the whole room may see, readable from the back. It connects as an
// observer (the facilitator's page hands it an observer token), so the server itself keeps
// confidential injects, red lines and scores off the wall.
import { Connection } from "./lib/connection.js";
import { $, calendarDate, clockTime, duration, el, paint, paragraphs, replace, store } from "./lib/dom.js";
import { indicatorList } from "./lib/indicators.js";
import { audienceLabel, deadlineBadge, optionText, updateDeadlines } from "./lib/injects.js";
import { OBSERVER_KEY } from "./lib/keys.js";
import { SessionModel } from "./lib/model.js";
import { proposalDelegations, stanceOf } from "./lib/proposals.js";
import { renderStatus } from "./lib/status.js";

const MARK = { endorse: "✓", reject: "✗", reserve: "…", none: "–" };

let token = document.body.dataset.token;
if (!token) {
  const saved = store.get(OBSERVER_KEY);
  token = saved?.token;
}
if (!token) window.location.replace("/observe");
else start(token);

function start(token) {
  const model = new SessionModel();
  let lastEffects = null;
  new Connection({
    token,
    onSync: (sync, fresh) => model.applySync(sync, fresh),
    onEvent: (event, fold) => model.applyEvent(event, fold),
    onHistory: (events) => model.applyHistory(events),
    onStatus: (status) => renderStatus($("#conn"), status),
    onRefused: (error) => {
      if (!document.body.dataset.token) store.remove(OBSERVER_KEY);
      replace($("#proj-inject"), el("h2", { text: error.message }), el("p", {}, el("a", { href: "/observe", text: "Enter an observer code" })));
    },
  });

  function header() {
    const move = model.currentMove();
    $("#proj-scenario").textContent = model.session?.title || model.scenario.title;
    $("#proj-move").textContent = move ? move.title : "Waiting to start";
    const status = model.state.status;
    $("#proj-state").textContent = { lobby: "Lobby", running: "", paused: "Paused", ended: "Ended" }[status] || "";
    $("#proj-state").className = `proj-state proj-state-${status}`;
    $("#proj-time").textContent = move ? `${duration(model.moveElapsed())} / ${duration(move.duration_minutes * 60)}` : "";
  }

  function lobby() {
    const inLobby = model.state.status === "lobby" && !model.state.injects.length;
    const code = document.body.dataset.joinCode;
    // The address students can use, from the server (this browser may be on 127.0.0.1).
    const base = (document.body.dataset.joinBase || window.location.origin).replace(/^https?:\/\//, "");
    $("#proj-lobby").hidden = !(inLobby && code);
    if (code) {
      $("#proj-join-url").textContent = `${base}/join`;
      $("#proj-join-code").textContent = code;
    }
    // Latecomers arrive after the first move has started: keep the code in a corner until the end.
    const mini = $("#proj-join-mini");
    if (!mini) return;
    mini.hidden = !code || inLobby || model.state.status === "ended";
    if (code) mini.textContent = `Join: ${base}/join · ${code}`;
  }

  /** The newest inject the room has seen. */
  function currentInject() {
    const injects = model.state.injects;
    return injects.length ? injects[injects.length - 1] : null;
  }

  function renderInject() {
    const inject = currentInject();
    const box = $("#proj-inject");
    if (!inject) {
      replace(box, el("p", { class: "proj-kicker", text: "No inject yet" }), el("h2", { class: "proj-inject-title", text: model.scenario.title }));
      return;
    }
    const private_ = audienceLabel(model, inject);
    replace(box,
      el("div", { class: "proj-tags" },
        el("span", { class: "proj-kicker", text: "Current inject" }),
        inject.hypothetical ? el("span", { class: "tag tag-hypothetical", text: "Hypothetical" }) : null,
        private_ ? el("span", { class: "tag tag-private", text: `${private_} only` }) : null,
        inject.date ? el("span", { class: "proj-date", text: calendarDate(inject.date) }) : null),
      el("h2", { class: "proj-inject-title", text: inject.title }),
      // The first paragraph only: the room reads the situation, the delegations read the rest.
      paragraphs(String(inject.body || "").split(/\n\s*\n/)[0], "proj-body"),
      el("div", { class: "proj-deadline" }, deadlineBadge(inject)));
    updateDeadlines(model, box);
  }

  function renderBoard() {
    const proposals = model.state.proposals
      .filter((p) => p.status === "open" || p.status === "adopted")
      .sort((a, b) => (a.status === "open" ? 0 : 1) - (b.status === "open" ? 0 : 1) || b.id - a.id)
      .slice(0, 6); // open ones first; fit() keeps what fits one screen
    const codes = model.scenario.delegations.map((d) => d.code);
    if (!proposals.length) {
      replace($("#proj-board"), el("p", { class: "proj-empty", text: "No proposal on the table." }));
      return;
    }
    replace($("#proj-board"), el("table", { class: "board" },
      el("thead", {}, el("tr", {},
        el("th", { scope: "col", text: "Proposal" }),
        codes.map((code) => paint(el("th", { scope: "col", class: "board-del", text: code }), model.delegation(code)?.colour)))),
      el("tbody", {}, proposals.map((p) => {
        const inject = p.inject_id ? model.inject(p.inject_id) : null;
        const concerned = proposalDelegations(model, p);
        return el("tr", { class: `board-row row-${p.status}`, dataset: { proposalId: String(p.id) } },
          el("th", { scope: "row" },
            el("span", { class: "board-name", text: `#${p.id} · v${p.version}` }),
            el("span", { class: "board-for", text: inject ? inject.title : "General" }),
            // The room reads what is being negotiated, not only a number.
            el("span", { class: "board-text", text: p.versions[p.versions.length - 1]?.text || "" }),
            p.status === "adopted" ? el("span", { class: "board-adopted", text: "Adopted" }) : null),
          codes.map((code) => {
            if (!concerned.includes(code)) return el("td", { class: "stance-cell na", text: "" });
            const stance = stanceOf(p, code);
            const kind = stance.stale ? "stale" : stance.kind;
            return el("td", { class: ["stance-cell", `cell-${kind}`], "aria-label": `${code}: ${stance.label}` },
              el("span", { class: "cell-mark", text: stance.stale ? "↺" : MARK[stance.kind] }),
              el("span", { class: "cell-text", text: stance.stale ? `v${p.positions[code].version}` : stance.kind === "none" ? "" : stance.label.split(" ")[0] }));
          }));
      }))));
    fit($("#proj-board"), $("#proj-board").querySelectorAll("tbody tr"), ["proposal", "proposals"]);
  }

  /** On a wall-sized screen the page never scrolls: drop the last items of a card until it
   * fits, and say how many more there are (the console has them all). */
  const FIT = window.matchMedia("(min-width: 901px) and (min-height: 600px)");
  function fit(container, items, [one, many]) {
    const card = container?.closest(".proj-card");
    if (!FIT.matches || !card) return;
    const list = Array.from(items);
    let dropped = 0;
    const more = el("p", { class: "proj-more" });
    const overflowing = () => card.scrollHeight > card.clientHeight + 1;
    if (!overflowing()) return;
    container.appendChild(more); // redrawn with the container, so never left behind
    while (overflowing() && list.length > 1) {
      list.pop().remove();
      dropped += 1;
      more.textContent = `+ ${dropped} more ${dropped === 1 ? one : many}`;
    }
    if (!dropped) more.remove();
    if (overflowing() && list.length) squeeze(list[0], overflowing);
  }

  /** The one item left is still too tall (a long joint response and its chosen options): take
   * a line from its tallest text, again and again, rather than cut a line at the card's edge. */
  function squeeze(item, overflowing) {
    const texts = Array.from(item.querySelectorAll(".proj-adopted-text, .chosen-options > li, .board-text"));
    const lines = (node) => {
      const style = getComputedStyle(node);
      const height = parseFloat(style.lineHeight) || parseFloat(style.fontSize) * 1.2;
      return Math.round(node.getBoundingClientRect().height / height);
    };
    for (let step = 0; step < 40 && overflowing(); step += 1) {
      const counts = texts.map(lines);
      const most = Math.max(0, ...counts);
      if (most <= 1) return;
      const tallest = texts[counts.indexOf(most)];
      tallest.classList.add("proj-squeezed");
      tallest.style.setProperty("--lines", String(most - 1));
    }
  }

  function renderSide() {
    replace($("#proj-indicators"), indicatorList(model, { effects: lastEffects }));
    const adopted = model.state.proposals.filter((p) => p.status === "adopted").slice(-3).reverse();
    replace($("#proj-adopted"), adopted.length
      ? el("ul", { class: "proj-adopted" }, adopted.map((p) => {
          const inject = p.inject_id ? model.inject(p.inject_id) : null;
          const version = p.versions.find((v) => v.n === p.adopted_version) || p.versions[p.versions.length - 1];
          return el("li", {},
            el("p", { class: "proj-adopted-for", text: `${inject ? inject.title : "General"} · ${clockTime(version.at)}` }),
            el("p", { class: "proj-adopted-text", text: version.text }),
            (version.options || []).length ? el("ul", { class: "chosen-options" }, version.options.map((id) => el("li", { text: optionText(inject, id) }))) : null);
        }))
      : el("p", { class: "proj-empty", text: "None yet." }));
    fit($("#proj-adopted"), $("#proj-adopted").querySelectorAll(".proj-adopted > li"), ["adopted response", "adopted responses"]);
  }

  function all() {
    header();
    lobby();
    renderInject();
    renderBoard();
    renderSide();
  }
  window.addEventListener("resize", () => { if (model.state) all(); });

  model.on("sync", all);
  model.on("clock", all);
  model.on("injects", () => { lobby(); renderInject(); renderBoard(); renderSide(); });
  model.on("proposal", () => { renderBoard(); renderSide(); });
  model.on("automatic", renderBoard);
  for (const kind of ["indicators", "statements", "rulings"]) {
    model.on(kind, (detail) => { if (detail?.effects) lastEffects = detail.effects; renderSide(); });
  }
  setInterval(() => { if (model.state) { header(); updateDeadlines(model); } }, 1000);
}
