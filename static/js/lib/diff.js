// A word diff between two versions of a proposal, rendered as <del>/<ins> with textContent.
import { el } from "./dom.js";

const MAX_CELLS = 4_000_000; // ~2000 x 2000 words; beyond that, show the two texts whole

// Words keep their trailing space, so spaces never match on their own and the diff reads in
// whole words rather than in fragments.
function tokens(text) {
  return String(text || "").match(/^\s+|\S+\s*/g) || [];
}

/** [{op: "same"|"del"|"ins", text}] turning `before` into `after`, word by word. */
export function wordDiff(before, after) {
  const a = tokens(before);
  const b = tokens(after);
  if (a.length * b.length > MAX_CELLS) {
    return [
      { op: "del", text: String(before) },
      { op: "ins", text: String(after) },
    ];
  }
  // Longest common subsequence table, filled from the end so the walk goes forwards.
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i -= 1) {
    for (let j = b.length - 1; j >= 0; j -= 1) {
      table[i * width + j] =
        a[i] === b[j]
          ? table[(i + 1) * width + j + 1] + 1
          : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const parts = [];
  const push = (op, text) => {
    const last = parts[parts.length - 1];
    if (last && last.op === op) last.text += text;
    else parts.push({ op, text });
  };
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) {
      push("same", a[i]);
      i += 1;
      j += 1;
    } else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) {
      push("del", a[i]);
      i += 1;
    } else {
      push("ins", b[j]);
      j += 1;
    }
  }
  while (i < a.length) push("del", a[i++]);
  while (j < b.length) push("ins", b[j++]);
  return regroup(parts);
}

/** Within each changed stretch, all deletions then all insertions; a lone short common word
 * between two changes ("and", "the") joins the change, as a reader would expect. */
function regroup(parts) {
  const merged = [];
  for (let k = 0; k < parts.length; k += 1) {
    const part = parts[k];
    const between = k > 0 && k < parts.length - 1 && parts[k - 1].op !== "same" && parts[k + 1].op !== "same";
    if (part.op === "same" && between && /^\S{1,4}\s*$/.test(part.text)) {
      merged.push({ op: "del", text: part.text }, { op: "ins", text: part.text });
    } else merged.push(part);
  }
  const out = [];
  let del = "";
  let ins = "";
  const flush = () => {
    if (del) out.push({ op: "del", text: del });
    if (ins) out.push({ op: "ins", text: ins });
    del = "";
    ins = "";
  };
  for (const part of merged) {
    if (part.op === "del") del += part.text;
    else if (part.op === "ins") ins += part.text;
    else {
      flush();
      out.push(part);
    }
  }
  flush();
  return out;
}

/** A readable diff block: deletions struck through, insertions underlined (not colour only). */
export function renderDiff(before, after) {
  const box = el("div", { class: "diff", "aria-label": "Changes between the two versions" });
  for (const part of wordDiff(before, after)) {
    if (part.op === "same") box.appendChild(document.createTextNode(part.text));
    else if (part.op === "del")
      box.appendChild(el("del", { title: "removed" }, el("span", { class: "sr-only", text: "[removed: " }), part.text, el("span", { class: "sr-only", text: "]" })));
    else
      box.appendChild(el("ins", { title: "added" }, el("span", { class: "sr-only", text: "[added: " }), part.text, el("span", { class: "sr-only", text: "]" })));
  }
  return box;
}
