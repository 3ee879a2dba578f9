// Replay: scrub to any event of the log and see the session as the White Cell saw it then.
// The server rebuilds the state from the log (with checkpoints, so a jump is quick).

import { el, getJSON, pill } from "./review-common.js";

function section(title, ...children) {
  return el("div", "rv-replay-box", [el("h4", null, title), ...children]);
}

/** The indicator's name as the metrics table shows it (the replay state carries only ids). */
function indicatorName(id) {
  const cell = document.querySelector(`#indicator-finals tr[data-indicator="${CSS.escape(id)}"] td`);
  return cell ? cell.textContent : id;
}

function indicatorsNode(state) {
  const list = el("ul", "rv-bars");
  for (const [id, value] of Object.entries(state.indicators || {})) {
    const bar = el("meter");
    bar.min = 0;
    bar.max = 100;
    bar.value = value;
    list.append(el("li", null, [el("span", "rv-bar-label", indicatorName(id)), bar, el("b", null, String(value))]));
  }
  return section("Indicators", list);
}

function injectsNode(state) {
  const list = el("ol", "rv-compact");
  for (const inject of state.injects) {
    const outcome = inject.outcome ? inject.outcome.replace("_", " ") : "open";
    list.append(el("li", null, [inject.title, " ", pill(outcome, `outcome-${inject.outcome}`)]));
  }
  if (!state.injects.length) list.append(el("li", "rv-muted", "None fired yet."));
  return section(`Injects fired (${state.injects.length})`, list);
}

function proposalsNode(state) {
  const list = el("ol", "rv-compact");
  for (const proposal of state.proposals.slice(-12)) {
    const stances = Object.entries(proposal.positions)
      .filter(([, position]) => position.version === proposal.version)
      .map(([code, position]) => pill(`${code} ${position.stance}`, `stance-${position.stance}`));
    list.append(
      el("li", null, [
        `#${proposal.id} v${proposal.version} `,
        pill(proposal.status, `status-${proposal.status}`),
        " ",
        ...stances,
        el("div", "rv-muted", proposal.versions[proposal.versions.length - 1].text),
      ]),
    );
  }
  if (!state.proposals.length) list.append(el("li", "rv-muted", "No proposal yet."));
  const title = `Proposals (${state.proposals.length}${state.proposals.length > 12 ? ", latest 12" : ""})`;
  return section(title, list);
}

function seatsNode(state) {
  const list = el("ul", "rv-compact");
  for (const player of state.players) {
    list.append(
      el("li", null, [
        pill(player.delegation, `d-${player.delegation}`),
        ` ${player.name} — ${player.role_title}`,
        player.lead ? " (lead)" : "",
      ]),
    );
  }
  return section(`Players (${state.players.length})`, list);
}

function scoresNode(state) {
  const list = el("ul", "rv-compact");
  for (const [code, score] of Object.entries(state.scores || {})) {
    list.append(el("li", null, [pill(code, `d-${code}`), ` ${score.total} points`]));
  }
  return section("Objective scores", list);
}

export function startReplay() {
  const range = document.getElementById("replay-seq");
  if (!range) return;
  const label = document.getElementById("replay-label");
  const eventLine = document.getElementById("replay-event");
  const box = document.getElementById("replay-state");
  const play = document.getElementById("replay-play");
  const head = Number(range.max);
  let request = 0;
  let timer = null;

  const show = async (seq) => {
    const mine = ++request;
    label.textContent = `event ${seq} of ${head}`;
    try {
      const data = await getJSON("replay.json", { seq });
      if (mine !== request) return;
      const state = data.state;
      const event = data.event;
      eventLine.replaceChildren(
        event
          ? el("span", null, [
              pill(`#${event.seq}`),
              ` ${event.type.replaceAll("_", " ")} by ${event.actor.name || event.actor.kind} · `,
              el("span", "rv-clock", `${state.clock.status}, ${state.clock.move_id || "lobby"}, `
                + `${Math.floor(state.clock.elapsed_seconds / 60)} min into the move`),
            ])
          : el("span", "rv-muted", "Before the first event."),
      );
      box.replaceChildren(
        indicatorsNode(state),
        injectsNode(state),
        proposalsNode(state),
        seatsNode(state),
        scoresNode(state),
      );
    } catch (error) {
      eventLine.textContent = `Could not replay: ${error.message}`;
    }
  };

  const go = (seq) => {
    range.value = String(Math.max(0, Math.min(head, seq)));
    show(Number(range.value));
  };
  const stop = () => {
    clearInterval(timer);
    timer = null;
    play.textContent = "Play";
  };

  range.addEventListener("input", () => show(Number(range.value)));
  document.getElementById("replay-back").addEventListener("click", () => go(Number(range.value) - 1));
  document.getElementById("replay-next").addEventListener("click", () => go(Number(range.value) + 1));
  play.addEventListener("click", () => {
    if (timer) return stop();
    if (Number(range.value) >= head) go(0);
    play.textContent = "Pause";
    timer = setInterval(() => {
      if (Number(range.value) >= head) return stop();
      go(Number(range.value) + 1);
    }, 700);
  });
  show(Number(range.value));
}
