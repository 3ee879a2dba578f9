// The scenario editor: a form for every field of the three files (generated from the schema),
// the YAML beside it, the checks as you type, save, publish, versions, preview and dry run.
// The server owns the YAML: the form sends edit ops, the YAML view sends whole texts, and every
// answer brings back the draft (texts, parsed data, problems), which the page then shows.
import { api, problemText } from "./lib/api.js";
import { $, announce, el, notify, replace } from "./lib/dom.js";
import { setupTabs } from "./lib/tabs.js";
import { SchemaForm } from "./editor/form.js";
import { collectRefs } from "./editor/refs.js";
import { DryRun, Preview } from "./editor/preview.js";
import { Versions } from "./editor/versions.js";

const slug = document.body.dataset.slug;
const base = `/api/library/${encodeURIComponent(slug)}`;
const FILES = { "scenario.yaml": "scenario", "delegations.yaml": "delegations", "injects.yaml": "injects" };
const DEBOUNCE_MS = 700;

let draft = null;
let refs = {};
const forms = {};
const pending = new Map(); // key -> {ops, structural, focus}: edits not sent yet
let timer = null;
let sending = null; // the request in flight
const redraw = new Set(); // files to draw again with the next answer
let conflict = false;
const yamlDirty = {}; // file -> true while the YAML view holds text the server has not seen
let typedProblems = null; // the checks of YAML being typed (not saved)
let validateTimer = null;
let tabs = null;

const saveState = $("#save-state");
const publishButton = $("#publish");

function setState(text) {
  if (saveState.textContent !== text) saveState.textContent = text;
}

// --- loading ------------------------------------------------------------------------------
async function start() {
  const [schemaAnswer, draftAnswer] = await Promise.all([api("GET", "/api/library/schema"), api("GET", `${base}/draft`)]);
  const failed = [schemaAnswer, draftAnswer].find((a) => !a.ok);
  if (failed) {
    const box = $("#load-error");
    box.textContent = failed.status === 404 || failed.status === 403
      ? `${failed.error.message} (You can only open scenarios you own or that are shared with you; duplicate a bundled scenario to change it.)`
      : failed.error.message;
    box.hidden = false;
    for (const node of document.querySelectorAll(".editor-tabs, .editor-panel, #problems, #editor-actions")) node.hidden = true;
    setState("");
    return;
  }
  for (const [file, key] of Object.entries(FILES)) {
    forms[file] = new SchemaForm($(`#form-${key}`), {
      file,
      schema: schemaAnswer.schema[file],
      emit: (ops, how) => edit(ops, how),
      refs: () => refs,
    });
  }
  applyDraft(draftAnswer, { render: Object.keys(FILES) });
  setState(draftAnswer.can_edit === false ? "Read only" : `Draft · revision ${draft.revision}`);
  tabs = setupTabs($("#editor-tabs"), (name) => panels[name]?.show());
}

function applyDraft(answer, { render = [], focus = null } = {}) {
  draft = { revision: answer.revision, files: answer.files || {}, problems: answer.problems || [], data: answer.data || {} };
  refs = collectRefs(draft.data);
  const title = draft.data["scenario.yaml"]?.title;
  if (title) {
    $("#editor-title").textContent = title;
    document.title = `${title} — Scenario editor`;
  }
  const active = focus || document.activeElement?.id;
  for (const [file, form] of Object.entries(forms)) {
    if (render.includes(file)) form.render(draft.data[file]);
    else form.refreshPickers(draft.data[file]);
  }
  for (const file of Object.keys(FILES)) {
    const area = $(`#yaml-${FILES[file]}`);
    if (!yamlDirty[file] && area.value !== (draft.files[file] ?? "")) area.value = draft.files[file] ?? "";
  }
  if (render.length && active && document.getElementById(active) && document.activeElement?.id !== active) {
    const node = document.getElementById(active);
    // A list item is a <details>: its summary is what takes focus.
    (node.matches("details") ? node.querySelector(":scope > summary") : node).focus({ preventScroll: true });
  }
  showProblems();
  updateButtons();
  if (answer.can_edit === false) readOnly();
  else checkPublished();
}

/** A bundled scenario (or one only shown): everything can be read, nothing changed. */
function readOnly() {
  $("#read-only").hidden = false;
  $("#editor-actions").hidden = true;
  $("#publish-why").hidden = true;
  for (const key of Object.values(FILES)) {
    // Disabled, not hidden: every field can still be read (and by a screen reader).
    for (const control of $(`#form-${key}`).querySelectorAll("input, select, textarea, button")) control.disabled = true;
    $(`#yaml-${key}`).readOnly = true;
  }
}

// --- edits --------------------------------------------------------------------------------
function edit(ops, how = {}) {
  if (conflict) {
    notify("This draft changed elsewhere: load the latest draft before editing.", "error");
    return;
  }
  const key = how.key && !how.structural ? how.key : `op-${Math.random()}`;
  pending.delete(key); // the newest value of a field goes last
  pending.set(key, { ops, structural: Boolean(how.structural), focus: how.focus || null });
  document.body.dataset.saving = "1"; // (tests wait for it to go)
  setState("Unsaved changes…");
  updateButtons();
  clearTimeout(timer);
  if (how.debounce) timer = setTimeout(flush, DEBOUNCE_MS);
  else flush();
}

async function flush() {
  clearTimeout(timer);
  // One request at a time, each with the revision the last answer gave: a caller that awaits
  // flush() (publish, preview, apply YAML) goes on only once every edit is saved.
  for (;;) {
    if (sending) {
      await sending;
      continue;
    }
    if (!pending.size || conflict) break;
    const batch = Array.from(pending.values());
    pending.clear();
    const ops = batch.flatMap((b) => b.ops);
    const structural = batch.some((b) => b.structural);
    const files = [...new Set(ops.map((op) => op.file))];
    const focus = batch.map((b) => b.focus).filter(Boolean).pop() || null;
    setState("Saving…");
    sending = api("POST", `${base}/edit`, { revision: draft.revision, ops });
    const answer = await sending;
    sending = null;
    if (answer.ok) {
      // A new or removed item changes the form's shape: draw that file again (open items stay
      // open). Edits typed meanwhile were drawn from the older draft: draw again after them.
      const render = [...new Set([...(structural ? files : []), ...redraw])];
      redraw.clear();
      if (structural && pending.size) for (const file of files) redraw.add(file);
      applyDraft(answer, { render, focus });
      setState(`Draft saved · revision ${draft.revision}`);
    } else if (answer.error?.code === "edit_conflict") {
      showConflict(answer.error.message);
    } else {
      setState("Not saved");
      notify(answer.error.message, "error");
      // The form may show a value the server refused: show the draft as it is.
      await reload(false);
      setState(`Not saved: ${answer.error.message}`);
    }
  }
  if (!sending && !pending.size) delete document.body.dataset.saving;
  updateButtons();
}

function showConflict(message) {
  conflict = true;
  pending.clear();
  delete document.body.dataset.saving;
  clearTimeout(timer);
  $("#conflict-text").textContent = `${message} Your last change was not saved, so nothing was overwritten. Load the latest draft, then make your change again.`;
  $("#conflict").hidden = false;
  setState("Not saved: the draft changed elsewhere");
  updateButtons();
  $("#conflict-reload").focus();
}

async function reload(announceIt = true) {
  const answer = await api("GET", `${base}/draft`);
  if (!answer.ok) {
    notify(answer.error.message, "error");
    return;
  }
  conflict = false;
  $("#conflict").hidden = true;
  for (const file of Object.keys(FILES)) setYamlDirty(file, false);
  typedProblems = null;
  applyDraft(answer, { render: Object.keys(FILES) });
  setState(`Latest draft loaded · revision ${draft.revision}`);
  if (announceIt) announce("The latest draft is loaded.");
}
$("#conflict-reload").addEventListener("click", () => reload());

// --- the YAML view ------------------------------------------------------------------------
function setYamlDirty(file, dirty) {
  yamlDirty[file] = dirty;
  const key = FILES[file];
  $(`#yaml-bar-${key}`).hidden = !dirty;
  // The form waits while its YAML holds unsaved text, so the two never disagree.
  const form = $(`#form-${key}`);
  form.inert = dirty;
  form.classList.toggle("waiting", dirty);
}

for (const [file, key] of Object.entries(FILES)) {
  const area = $(`#yaml-${key}`);
  area.addEventListener("input", () => {
    if (conflict) return;
    setYamlDirty(file, area.value !== (draft?.files[file] ?? ""));
    updateButtons();
    clearTimeout(validateTimer);
    validateTimer = setTimeout(validateTyped, DEBOUNCE_MS);
  });
}

function typedFiles() {
  const files = { ...draft.files };
  for (const [file, key] of Object.entries(FILES)) if (yamlDirty[file]) files[file] = $(`#yaml-${key}`).value;
  return files;
}

let validateSeq = 0; // an answer about text that has since been applied or discarded is dropped

async function validateTyped() {
  const seq = ++validateSeq;
  if (!Object.values(yamlDirty).some(Boolean)) {
    typedProblems = null;
    showProblems();
    return;
  }
  const answer = await api("POST", "/api/library/validate", { files: typedFiles() });
  if (seq !== validateSeq || !Object.values(yamlDirty).some(Boolean)) return;
  if (answer.ok) {
    typedProblems = answer.problems || [];
    showProblems();
  }
}

async function applyYaml() {
  await flush();
  if (conflict) return;
  setState("Saving…");
  const answer = await api("PUT", `${base}/draft`, { revision: draft.revision, files: typedFiles() });
  if (answer.ok) {
    for (const file of Object.keys(FILES)) setYamlDirty(file, false);
    clearTimeout(validateTimer);
    validateSeq += 1;
    typedProblems = null;
    // The PUT answer may be short: the draft as the server now holds it is the truth.
    const fresh = answer.files && answer.data ? answer : await api("GET", `${base}/draft`);
    applyDraft(fresh, { render: Object.keys(FILES) });
    setState(`Draft saved · revision ${draft.revision}`);
    announce("YAML saved.");
  } else if (answer.error?.code === "edit_conflict") {
    showConflict(answer.error.message);
  } else {
    setState("Not saved");
    notify(answer.error.message, "error");
  }
}

document.addEventListener("click", (event) => {
  const apply = event.target.closest("[data-yaml-apply]");
  if (apply) applyYaml();
  const discard = event.target.closest("[data-yaml-discard]");
  if (discard) {
    const file = discard.dataset.yamlDiscard;
    $(`#yaml-${FILES[file]}`).value = draft.files[file] ?? "";
    setYamlDirty(file, false);
    clearTimeout(validateTimer);
    validateSeq += 1;
    typedProblems = null;
    showProblems();
    updateButtons();
  }
});

// --- problems -----------------------------------------------------------------------------
function currentProblems() {
  return typedProblems || draft.problems;
}

function showProblems() {
  const problems = currentProblems();
  const errors = problems.filter((p) => p.severity !== "warning");
  const warnings = problems.filter((p) => p.severity === "warning" && !p.accepted);
  $("#problems-count").textContent = errors.length + warnings.length
    ? `${errors.length} error${errors.length === 1 ? "" : "s"}, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}`
    : "no problem found";
  $("#problems").classList.toggle("has-errors", errors.length > 0);
  const note = $("#problems-source");
  note.hidden = !typedProblems;
  note.textContent = typedProblems ? "Checks of the YAML you are typing (not saved yet)." : "";
  const shown = [...errors, ...warnings];
  replace($("#problem-list"), shown.map((p) =>
    el("li", { class: p.severity === "warning" ? "problem warning" : "problem error" },
      el("button", { type: "button", class: "link problem-link", on: { click: () => goTo(p) } },
        el("span", { class: "problem-kind", text: p.severity === "warning" ? "Warning" : "Error" }),
        el("span", { class: "problem-where", text: [p.file, p.line ? `line ${p.line}` : "", p.field].filter(Boolean).join(" · ") }),
        el("span", { class: "problem-message", text: p.message })))));
  inlineProblems(shown);
}

function inlineProblems(problems) {
  for (const node of document.querySelectorAll(".field-error")) node.remove();
  for (const node of document.querySelectorAll("[aria-invalid]")) {
    node.removeAttribute("aria-invalid");
    const described = (node.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.startsWith("perr-"));
    if (described.length) node.setAttribute("aria-describedby", described.join(" "));
    else node.removeAttribute("aria-describedby");
  }
  for (const node of document.querySelectorAll(".item.has-error")) node.classList.remove("has-error");
  problems.forEach((problem, index) => {
    const form = forms[problem.file];
    if (!form || !Array.isArray(problem.path)) return;
    const target = form.target(problem.path);
    if (!target) return;
    const id = `perr-${index}`;
    const message = el("p", { class: ["field-error", problem.severity === "warning" ? "field-warning" : ""], id },
      el("span", { class: "sr-only", text: problem.severity === "warning" ? "Warning: " : "Error: " }), problem.message);
    const last = problem.path[problem.path.length - 1];
    if (typeof last === "string" && !form.hasControl(problem.path) && valueAt(draft.data[problem.file], problem.path) !== undefined) {
      // A key the form does not know (a typo made in the YAML): offer to take it out.
      message.append(" ", el("button", { type: "button", class: "link small", on: { click: () => edit([{ file: problem.file, op: "delete", path: problem.path }], { structural: true }) } }, `Remove “${last}”`));
    }
    const control = /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) ? target : null;
    if (control) {
      if (problem.severity !== "warning") control.setAttribute("aria-invalid", "true");
      control.setAttribute("aria-describedby", [control.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
      const holder = control.closest(".map-row, .scalar-row, .field, fieldset") || control.parentElement;
      // Inside a list row the message stays in its <li> (a list holds only items).
      if (holder.matches(".map-row, .scalar-row")) holder.appendChild(message);
      else if (holder.matches("fieldset")) control.parentElement.after(message);
      else holder.appendChild(message);
    } else if (target.matches("details")) {
      target.querySelector(":scope > .item-tools")?.after(message);
    } else {
      const legend = target.querySelector(":scope > legend");
      if (legend) legend.after(message);
      else target.appendChild(message);
    }
    let parent = target.closest("details.item");
    while (parent) {
      if (problem.severity !== "warning") parent.classList.add("has-error");
      parent = parent.parentElement?.closest("details.item");
    }
  });
}

const valueAt = (data, path) => path.reduce((node, key) => (node === null || node === undefined ? undefined : node[key]), data);

/** Show the field a problem is about: its tab, its open item, the control itself focused. */
function goTo(problem) {
  const key = FILES[problem.file];
  if (!key) return;
  tabs?.show(key);
  const form = forms[problem.file];
  const target = form && Array.isArray(problem.path) && !yamlDirty[problem.file] ? form.target(problem.path) : null;
  if (!target) {
    // Not a field of the form (the YAML cannot be read): show the line in the YAML view.
    const area = $(`#yaml-${key}`);
    const lines = area.value.split("\n");
    const line = Math.max(1, Math.min(problem.line || 1, lines.length));
    const start = lines.slice(0, line - 1).reduce((n, text) => n + text.length + 1, 0);
    area.focus();
    area.setSelectionRange(start, start + lines[line - 1].length);
    return;
  }
  for (let node = target.closest("details"); node; node = node.parentElement?.closest("details")) node.open = true;
  target.scrollIntoView({ block: "center" });
  target.focus({ preventScroll: true });
}

// --- save and publish ---------------------------------------------------------------------
// Whether the draft is the latest published version (then there is nothing to publish).
let published = { revision: -1, same: false, version: null };
let publishedTimer = null;

function checkPublished() {
  clearTimeout(publishedTimer);
  publishedTimer = setTimeout(async () => {
    const revision = draft?.revision;
    const answer = await api("GET", base);
    if (!answer.ok || draft?.revision !== revision) return;
    published = { revision, same: Boolean(answer.scenario.draft_published), version: answer.scenario.version };
    updateButtons();
  }, 400);
}

function updateButtons() {
  if (!draft) return;
  const errors = currentProblems().filter((p) => p.severity !== "warning").length;
  const unsaved = pending.size > 0 || Object.values(yamlDirty).some(Boolean);
  const unchanged = !unsaved && published.revision === draft.revision && published.same;
  const why = conflict
    ? "Load the latest draft first."
    : errors
      ? `Fix the ${errors} error${errors === 1 ? "" : "s"} to publish.`
      : unsaved
        ? "Save the draft first."
        : unchanged
          ? `The draft is version ${published.version}: change something to publish a new version.`
          : "Publishing makes a new version sessions can use.";
  $("#publish-why").textContent = why;
  const blocked = Boolean(conflict || errors || unsaved || unchanged);
  publishButton.setAttribute("aria-disabled", String(blocked));
  publishButton.classList.toggle("is-disabled", blocked);
}

$("#save-draft").addEventListener("click", async () => {
  if (Object.values(yamlDirty).some(Boolean)) return applyYaml();
  await flush();
  if (!conflict) {
    setState(`Draft saved · revision ${draft.revision}`);
    announce("Draft saved.");
  }
  return null;
});

publishButton.addEventListener("click", async () => {
  // aria-disabled (not disabled) keeps the button focusable, so its reason can be read.
  if (publishButton.getAttribute("aria-disabled") === "true") {
    notify($("#publish-why").textContent, "error");
    return;
  }
  await flush();
  if (conflict) return;
  publishButton.setAttribute("aria-disabled", "true");
  setState("Publishing…");
  const answer = await api("POST", `${base}/publish`, { revision: draft.revision });
  if (answer.ok) {
    await reload(false);
    setState(`Published version ${answer.version}`);
    notify(`Published version ${answer.version}: new sessions can use it.`);
    announce(`Published version ${answer.version}.`);
    panels.versions.stale = true;
  } else if (answer.error?.code === "edit_conflict") {
    showConflict(answer.error.message);
  } else {
    if (answer.problems) {
      draft.problems = answer.problems;
      showProblems();
    }
    setState("Not published");
    notify(answer.error.message, "error");
  }
  updateButtons();
});

// Leaving with edits not yet sent: the browser asks first.
window.addEventListener("beforeunload", (event) => {
  if (pending.size || Object.values(yamlDirty).some(Boolean)) {
    event.preventDefault();
    event.returnValue = "";
  }
});

const context = {
  base,
  draft: () => draft,
  refs: () => refs,
  flush: () => flush(),
};
const panels = {
  preview: new Preview(context),
  dryrun: new DryRun(context),
  versions: new Versions(context),
};

start();
