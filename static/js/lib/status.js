// The connection badge and the outbox of commands not yet acknowledged.
import { el, replace } from "./dom.js";

const LABELS = {
  connecting: "Connecting…",
  connected: "Connected",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

/** Show the connection state in words and colour (never colour alone). */
export function renderStatus(node, status) {
  node.className = `conn conn-${status}`;
  node.dataset.status = status;
  const text = node.querySelector(".conn-text");
  if (text) text.textContent = LABELS[status] || status;
  document.body.dataset.connection = status;
}

const DESCRIBE = {
  "message.post": (c) => `Message: “${short(c.text)}”`,
  "proposal.table": (c) => `New proposal: “${short(c.text)}”`,
  "proposal.amend": (c) => `Amendment to proposal ${c.proposal_id}`,
  "proposal.endorse": (c) => `Endorse proposal ${c.proposal_id} v${c.version}`,
  "proposal.reject": (c) => `Reject proposal ${c.proposal_id} v${c.version}`,
  "proposal.reserve": (c) => `Reserve on proposal ${c.proposal_id} v${c.version}`,
  "proposal.withdraw": (c) => `Withdraw proposal ${c.proposal_id}`,
  "statement.issue": (c) => `Statement: “${short(c.text)}”`,
};

function short(text) {
  const value = String(text || "");
  return value.length > 60 ? `${value.slice(0, 57)}…` : value;
}

/** List what is waiting to be sent, and what could not be sent (with retry / discard). */
export function renderOutbox(node, items, conn) {
  const waiting = items.filter((c) => c.state !== "sending" || !conn.socket.connected);
  if (!waiting.length) {
    replace(node);
    node.hidden = true;
    return;
  }
  node.hidden = false;
  replace(node, el("ul", { class: "outbox-list" }, waiting.map((command) => {
    const label = (DESCRIBE[command.type] || ((c) => c.type.replace(".", " ")))(command);
    const failed = command.state === "failed";
    return el("li", { class: ["outbox-item", failed ? "failed" : "queued"], dataset: { commandId: command.id } },
      el("span", { class: "outbox-state", text: failed ? "Not sent" : "Waiting to send" }),
      el("span", { class: "outbox-label", text: label }),
      failed ? el("button", { type: "button", class: "small secondary", text: "Try again", on: { click: () => conn.retry(command.id) } }) : null,
      failed ? el("button", { type: "button", class: "small link", text: "Discard", on: { click: () => conn.discard(command.id) } }) : null);
  })));
}
