// The after-action review page: timeline and proposal histories (transcripts and replay live in
// their own modules). Everything is fetched as JSON and written into the page as text.

import { debounce, el, getJSON, pill, showError } from "./review-common.js";
import { localiseTimes } from "./lib/dom.js";
import { startReplay } from "./review-replay.js";
import { startTranscripts } from "./review-transcripts.js";

const STEP = 400;

function startTimeline() {
  const list = document.getElementById("timeline-list");
  const more = document.getElementById("timeline-more");
  const filters = document.getElementById("timeline-filters");
  if (!list) return;
  let items = [];
  let shown = STEP;

  const render = () => {
    const wanted = new Set(
      [...filters.querySelectorAll("input:checked")].map((box) => box.value),
    );
    const kept = items.filter((item) => wanted.has(item.category));
    const rows = kept.slice(0, shown).map((item) => {
      const row = el("li", `rv-tl rv-cat-${item.category}`, [
        el("span", "rv-clock", item.clock),
        item.delegation ? pill(item.delegation, `d-${item.delegation}`) : null,
        el("span", "rv-tl-text", item.text),
        el("span", "rv-seq", `#${item.seq}`),
      ]);
      row.dataset.category = item.category;
      if (item.stance) row.dataset.stance = item.stance;
      return row;
    });
    if (!rows.length) rows.push(el("li", "rv-muted", "Nothing of these kinds happened."));
    list.replaceChildren(...rows);
    more.hidden = kept.length <= shown;
    more.textContent = `Show more (${kept.length - shown} left)`;
  };

  filters.addEventListener("change", () => {
    shown = STEP;
    render();
  });
  more.addEventListener("click", () => {
    shown += STEP;
    render();
  });
  getJSON("timeline.json")
    .then((data) => {
      items = data.timeline;
      render();
    })
    .catch((error) => showError(list, error));
}

function diffNode(ops) {
  const node = el("p", "rv-version-text");
  for (const [op, text] of ops) {
    if (op === "insert") node.append(el("ins", null, text));
    else if (op === "delete") node.append(el("del", null, text));
    else node.append(document.createTextNode(text));
  }
  return node;
}

const STANCE_WORDS = {
  tabled: "tabled",
  amended: "amended",
  endorse: "endorsed",
  reject: "rejected",
  reserve: "reserved on",
  adopted: "adopted",
  withdrawn: "withdrawn",
  closed: "closed",
};

function proposalNode(proposal) {
  const head = el("summary", null, [
    el("strong", null, `Proposal ${proposal.id}`),
    " ",
    pill(proposal.delegation || "?", `d-${proposal.delegation}`),
    " ",
    pill(proposal.status, `status-${proposal.status}`),
    ` ${proposal.inject_title || "general proposal"} · ${proposal.versions.length} version(s)`,
  ]);
  const versions = el("ol", "rv-versions");
  for (const version of proposal.versions) {
    const options = version.options.map((o) => o.id).join(", ") || "no options";
    const changes = [];
    if (version.options_added.length) changes.push(`+ ${version.options_added.join(", ")}`);
    if (version.options_removed.length) changes.push(`− ${version.options_removed.join(", ")}`);
    versions.append(
      el("li", "rv-version", [
        el("div", "rv-version-head", [
          pill(`v${version.n}`),
          el("span", "rv-clock", ` ${version.clock} `),
          `${version.author} (${version.delegation || "?"})`,
          proposal.adopted_version === version.n ? pill("adopted", "ok") : null,
        ]),
        version.diff ? diffNode(version.diff) : el("p", "rv-version-text", version.text),
        el("p", "rv-muted", `options: ${options}${changes.length ? ` (${changes.join("; ")})` : ""}`),
      ]),
    );
  }
  const trail = el("ol", "rv-trail");
  for (const step of proposal.trail) {
    // Adoption and closing are the proposal's own steps, not a delegation's.
    const own = ["adopted", "closed", "withdrawn"].includes(step.kind);
    const who = own && step.kind !== "withdrawn" ? "" : step.position_of || step.delegation || "";
    const word = STANCE_WORDS[step.kind] || step.kind;
    const text = `${who} ${who ? word : word[0].toUpperCase() + word.slice(1)}`
      + `${step.version ? ` v${step.version}` : ""}`;
    const row = el("li", `rv-step rv-step-${step.kind}`, [
      el("span", "rv-clock", step.clock),
      ` ${text}`,
      step.reason ? el("q", null, step.reason) : null,
      step.by && !own ? el("span", "rv-muted", ` — ${step.by}`) : null,
    ]);
    trail.append(row);
  }
  const details = el("details", "rv-proposal", [
    head,
    el("h4", null, "Versions"),
    versions,
    el("h4", null, "Endorsement trail"),
    trail,
  ]);
  details.dataset.proposal = proposal.id;
  return details;
}

function startProposals() {
  const box = document.getElementById("proposal-list");
  if (!box) return;
  let proposals = [];
  let shown = 50;
  const render = () => {
    const nodes = proposals.slice(0, shown).map(proposalNode);
    if (!proposals.length) nodes.push(el("p", "rv-muted", "No proposal was tabled."));
    if (proposals.length > shown) {
      const more = el("button", "rv-more", `Show more (${proposals.length - shown} left)`);
      more.type = "button";
      more.addEventListener("click", () => {
        shown += 50;
        render();
      });
      nodes.push(more);
    }
    box.replaceChildren(...nodes);
  };
  getJSON("proposals.json")
    .then((data) => {
      proposals = data.proposals;
      render();
    })
    .catch((error) => box.replaceChildren(el("p", "rv-error", `Could not load: ${error.message}`)));
}

function guardDelete() {
  const form = document.getElementById("delete-form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const sure = window.confirm(
      "Delete this session, its whole log and every player's data? This cannot be undone.",
    );
    if (!sure) event.preventDefault();
  });
}

/** Warn before leaving the page with note text not yet saved (the notes are one form). */
function guardNotes() {
  const form = document.getElementById("notes-form");
  if (!form) return;
  const state = document.getElementById("notes-state");
  const saved = new Map([...form.querySelectorAll("textarea")].map((t) => [t, t.value]));
  const dirty = () => [...saved].some(([field, value]) => field.value !== value);
  let submitting = false;
  form.addEventListener("input", () => {
    state.textContent = dirty() ? "Unsaved changes" : "";
  });
  form.addEventListener("submit", () => {
    submitting = true;
  });
  window.addEventListener("beforeunload", (event) => {
    if (submitting || !dirty()) return;
    event.preventDefault();
    event.returnValue = ""; // the browser shows its own "leave site?" question
  });
}

localiseTimes();
startTimeline();
startProposals();
guardNotes();
startTranscripts(debounce);
startReplay();
guardDelete();
