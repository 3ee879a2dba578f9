// The scenario library: list, new from the template, duplicate, import, export, share, delete.
// Everything goes through /api/library (docs/authoring.md); scenario text is only ever set as text.
import { api, download, problemText } from "./lib/api.js";
import { $, announce, el, notify, replace } from "./lib/dom.js";

const me = document.body.dataset.me || "";
const rows = $("#library-rows");
const table = $("#library-table");
const status = $("#library-status");
let scenarios = [];

const editorUrl = (slug) => `/console/library/${encodeURIComponent(slug)}`;
const plural = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`;

async function load() {
  const answer = await api("GET", "/api/library");
  if (!answer.ok) {
    status.textContent = answer.error.message;
    return;
  }
  scenarios = answer.scenarios || [];
  table.hidden = !scenarios.length;
  status.textContent = scenarios.length ? plural(scenarios.length, "scenario") : "No scenario yet.";
  replace(rows, scenarios.map(row));
}

function row(s) {
  const owned = s.owner !== null && s.owner !== undefined;
  const mine = owned && s.owner === me;
  const draftNote = !owned
    ? null
    : s.draft_valid === false
      ? el("span", { class: "state state-queued", text: "Draft has errors" })
      : s.version === null || s.version === undefined
        ? el("span", { class: "state state-lobby", text: "Not published" })
        : s.draft_published === false
          ? el("span", { class: "state state-lobby", text: "Unpublished changes" })
          : null;
  const title = s.can_edit
    ? el("a", { href: editorUrl(s.slug), class: "session-link", text: s.title })
    : el("span", { class: "session-link", text: s.title });
  const actions = el("div", { class: "row-actions library-actions" },
    s.can_edit ? el("a", { class: "button small", href: editorUrl(s.slug), "aria-label": `Edit ${s.title}`, text: "Edit" }) : null,
    el("button", { type: "button", class: "small", "aria-label": `Duplicate ${s.title}`, on: { click: () => openDuplicate(s) } }, "Duplicate"),
    s.version ? el("button", { type: "button", class: "small", "aria-label": `Export ${s.title} as a zip`, on: { click: () => exportZip(s) } }, "Export") : null,
    mine ? el("button", { type: "button", class: "small", "aria-label": `Share ${s.title}`, on: { click: () => openShare(s) } }, "Share") : null,
    s.can_delete && !s.used_by ? deleteButton(s) : null,
  );
  return el("tr", { dataset: { slug: s.slug } },
    el("td", {}, title, el("br"), el("code", { class: "muted small", text: s.slug }), draftNote ? [" ", draftNote] : null),
    el("td", { dataset: { label: "Version" }, text: s.version ? `v${s.version}` : "—" }),
    el("td", { class: "num", dataset: { label: "Moves" }, text: String(s.moves ?? "—") }),
    el("td", { class: "small", dataset: { label: "Tracks" } }, (s.tracks || []).length ? (s.tracks || []).map((t) => t.title).join(", ") : el("span", { class: "muted", text: "none" })),
    el("td", { class: "small", dataset: { label: "Author" } },
      owned ? s.owner : el("span", { class: "tag", text: "Bundled" }),
      (s.shared_with || []).length ? el("div", { class: "muted", text: `Shared with ${s.shared_with.join(", ")}` }) : null),
    el("td", { class: "small", dataset: { label: "Used by" }, text: s.used_by ? plural(s.used_by, "session") : "no session" }),
    el("td", {}, actions));
}

/** Delete asks for a second click (like ending a session): no modal to dismiss by reflex. */
function deleteButton(s) {
  const button = el("button", { type: "button", class: "small danger-outline", "aria-label": `Delete ${s.title}`, text: "Delete" });
  button.addEventListener("click", async () => {
    if (!button.dataset.armed) {
      button.dataset.armed = "1";
      button.textContent = "Confirm delete";
      setTimeout(() => { delete button.dataset.armed; button.textContent = "Delete"; }, 5000);
      return;
    }
    button.disabled = true;
    const answer = await api("DELETE", `/api/library/${encodeURIComponent(s.slug)}`);
    if (!answer.ok) {
      notify(answer.error.message, "error");
      button.disabled = false;
      return;
    }
    announce(`${s.title} deleted.`);
    notify(`Deleted “${s.title}”.`);
    await load();
  });
  return button;
}

async function exportZip(s) {
  const answer = await download(`/api/library/${encodeURIComponent(s.slug)}/export`, `${s.slug}.zip`);
  if (!answer.ok) notify(answer.error.message, "error");
}

function showError(box, message) {
  box.textContent = message;
  box.hidden = !message;
}

// --- new from the template ------------------------------------------------------------------
const slugify = (text) => text.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 60);
const newTitle = $("#new-title-input");
const newSlug = $("#new-slug");
newTitle.addEventListener("input", () => {
  if (!newSlug.dataset.touched) newSlug.value = slugify(newTitle.value);
});
newSlug.addEventListener("input", () => (newSlug.dataset.touched = "1"));
$("#new-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("#new-error");
  showError(box, "");
  if (!newTitle.value.trim() || !newSlug.value.trim()) {
    showError(box, "Give the scenario a title and a short name.");
    (newTitle.value.trim() ? newSlug : newTitle).focus();
    return;
  }
  const answer = await api("POST", "/api/library/new", { slug: newSlug.value.trim(), title: newTitle.value.trim() });
  if (!answer.ok) return showError(box, answer.error.message);
  window.location.assign(editorUrl(answer.scenario.slug));
});

// --- duplicate ------------------------------------------------------------------------------
const duplicateDialog = $("#duplicate-dialog");
let duplicating = null;
function openDuplicate(s) {
  duplicating = s;
  $("#duplicate-of").textContent = `A copy of “${s.title}”${s.version ? ` (version ${s.version})` : ""} that you own and may change.`;
  const taken = new Set(scenarios.map((x) => x.slug));
  let slug = `${s.slug}-copy`;
  for (let n = 2; taken.has(slug); n += 1) slug = `${s.slug}-copy-${n}`;
  $("#duplicate-name").value = `${s.title} (my copy)`;
  $("#duplicate-slug").value = slug;
  showError($("#duplicate-error"), "");
  duplicateDialog.showModal();
  $("#duplicate-name").focus();
}
$("#duplicate-cancel").addEventListener("click", () => duplicateDialog.close());
$("#duplicate-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await api("POST", "/api/library/duplicate", {
    slug: duplicating.slug, new_slug: $("#duplicate-slug").value.trim(), title: $("#duplicate-name").value.trim(),
  });
  if (!answer.ok) return showError($("#duplicate-error"), answer.error.message);
  duplicateDialog.close();
  window.location.assign(editorUrl(answer.scenario.slug));
});

// --- share ----------------------------------------------------------------------------------
const shareDialog = $("#share-dialog");
let sharing = null;
function renderShares() {
  const names = sharing.shared_with || [];
  replace($("#share-list"), names.length
    ? names.map((name) => el("li", {}, el("span", { text: name }), " ",
        el("button", { type: "button", class: "link danger small", "aria-label": `Stop sharing with ${name}`, on: { click: () => unshare(name) } }, "Stop sharing")))
    : el("li", { class: "muted", text: "Not shared with anyone yet." }));
}
function openShare(s) {
  sharing = s;
  $("#share-of").textContent = `“${s.title}”`;
  $("#share-name").value = "";
  showError($("#share-error"), "");
  renderShares();
  shareDialog.showModal();
  $("#share-name").focus();
}
async function unshare(name) {
  const answer = await api("DELETE", `/api/library/${encodeURIComponent(sharing.slug)}/share/${encodeURIComponent(name)}`);
  if (!answer.ok) return showError($("#share-error"), answer.error.message);
  sharing.shared_with = (sharing.shared_with || []).filter((n) => n !== name);
  renderShares();
  announce(`No longer shared with ${name}.`);
  load();
}
$("#share-close").addEventListener("click", () => shareDialog.close());
$("#share-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const name = $("#share-name").value.trim();
  if (!name) return showError($("#share-error"), "Write the account name of the facilitator.");
  const answer = await api("POST", `/api/library/${encodeURIComponent(sharing.slug)}/share`, { name });
  if (!answer.ok) return showError($("#share-error"), answer.error.message);
  sharing.shared_with = [...new Set([...(sharing.shared_with || []), name])];
  $("#share-name").value = "";
  showError($("#share-error"), "");
  renderShares();
  announce(`Shared with ${name}.`);
  load();
});

// --- import ---------------------------------------------------------------------------------
$("#import-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const box = $("#import-problems");
  box.hidden = true;
  const files = Array.from($("#import-files").files || []);
  if (!files.length) {
    replace(box, el("p", { text: "Choose a zip or the three YAML files first." }));
    box.hidden = false;
    return;
  }
  const form = new FormData();
  const zip = files.find((f) => /\.zip$/i.test(f.name));
  if (zip) form.append("file", zip, zip.name);
  else for (const f of files) form.append("files[]", f, f.name);
  const newSlugValue = $("#import-slug").value.trim();
  if (newSlugValue) form.append("new_slug", newSlugValue);
  const button = event.submitter || $("#import-form button[type=submit]");
  button.disabled = true;
  const answer = await api("POST", "/api/library/import", form);
  button.disabled = false;
  if (!answer.ok) {
    const problems = answer.problems || [];
    replace(box,
      el("p", { class: "import-verdict" }, el("strong", { text: "Nothing was imported. " }), answer.error.message),
      problems.length ? el("ul", { class: "problem-lines" }, problems.map((p) => el("li", { text: problemText(p) }))) : null);
    box.hidden = false;
    if (answer.error.code === "slug_taken") $("#import-slug").focus();
    return;
  }
  $("#import-files").value = "";
  $("#import-slug").value = "";
  notify(`Imported “${answer.scenario.title || answer.scenario.slug}”.`);
  announce(`Imported ${answer.scenario.title || answer.scenario.slug}.`);
  await load();
});

load();
