// Small DOM helpers. Every piece of user or scenario text goes in through textContent:
// there is no innerHTML anywhere in the client, so text is data and never markup.

/**
 * Build an element. `attrs`: class, text, dataset (object), on (object of listeners), hidden,
 * and any other attribute by name (set with setAttribute). Children: nodes, strings (as text),
 * arrays of either, or null/false (skipped).
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = Array.isArray(value) ? value.filter(Boolean).join(" ") : value;
    else if (key === "text") node.textContent = String(value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else if (key === "on") for (const [name, fn] of Object.entries(value)) node.addEventListener(name, fn);
    else if (key === "hidden") node.hidden = Boolean(value);
    else if (key === "checked" || key === "disabled" || key === "selected" || key === "required")
      node[key] = Boolean(value);
    else if (key === "value") node.value = value;
    else if (key === "style") throw new Error("no inline styles: use a class");
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(node, child);
    else if (child instanceof Node) node.appendChild(child);
    else node.appendChild(document.createTextNode(String(child)));
  }
}

/** Remove every child of `node` (and return it, to chain an append). */
export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

/** Replace the children of `node`. */
export function replace(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

export const $ = (selector, root = document) => root.querySelector(selector);
export const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));

/** Paragraphs from plain text: blank lines separate paragraphs, single newlines are kept. */
export function paragraphs(text, className = "prose") {
  const box = el("div", { class: className });
  for (const part of String(text || "").split(/\n\s*\n/)) {
    const trimmed = part.trim();
    if (trimmed) box.appendChild(el("p", { text: trimmed.replace(/\s*\n\s*/g, " ") }));
  }
  return box;
}

/** Only web links are ever made clickable (no javascript: or data: URLs from content). */
export function safeUrl(url) {
  try {
    const parsed = new URL(url, window.location.href);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}

/** "14:03" in the viewer's time zone. */
export function clockTime(iso) {
  if (!iso) return "";
  const date = new Date(iso);
  return date.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
}

/** "2 Dec 2026, 14:03" in the viewer's time zone; with `zone`, followed by the zone's name. */
export function localDateTime(iso, zone = false) {
  if (!iso) return "";
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const text = `${date.toLocaleDateString([], { day: "numeric", month: "short", year: "numeric" })}, ${clockTime(iso)}`;
  if (!zone) return text;
  const name = Intl.DateTimeFormat().resolvedOptions().timeZone || "local time";
  return `${text} (${name})`;
}

/** Rewrite every <time data-local datetime="…Z"> (rendered in UTC by the server) in local time;
 * data-local="zone" adds the time zone's name. One time format on every page. */
export function localiseTimes(root = document) {
  for (const node of root.querySelectorAll("time[data-local]")) {
    const text = localDateTime(node.getAttribute("datetime"), node.dataset.local === "zone");
    if (text) node.textContent = text;
  }
}

/** "4:05" or "1:02:09" for a number of seconds (never negative). */
export function duration(seconds) {
  const total = Math.max(0, Math.floor(seconds));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${s}` : `${m}:${s}`;
}

/** A readable calendar date for a scenario date ("2022-11-02" -> "2 Nov 2022"). */
export function calendarDate(text) {
  if (!text) return "";
  const match = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/.exec(String(text));
  if (!match) return String(text);
  const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
  const month = months[Number(match[2]) - 1] || match[2];
  return match[3] ? `${Number(match[3])} ${month} ${match[1]}` : `${month} ${match[1]}`;
}

/** A short-lived status line for the result of an action, read out by screen readers. */
export function notify(message, kind = "info") {
  let region = document.getElementById("notices");
  if (!region) {
    region = el("div", { id: "notices", class: "notices", role: "status", "aria-live": "polite" });
    document.body.appendChild(region);
  }
  const note = el("p", { class: ["notice", `notice-${kind}`], text: message });
  region.appendChild(note);
  setTimeout(() => note.remove(), kind === "error" ? 9000 : 4500);
}

/**
 * Say something to screen-reader users without moving their focus: one polite live region at
 * the end of <body>, outside every tab panel (a hidden panel's live region is never read).
 * The text is set a moment after clearing, so the same words twice are announced twice.
 */
export function announce(message) {
  let region = document.getElementById("announcer");
  if (!region) {
    region = el("div", { id: "announcer", class: "sr-only", role: "status", "aria-live": "polite", "aria-atomic": "true" });
    document.body.appendChild(region);
  }
  region.textContent = "";
  setTimeout(() => { region.textContent = message; }, 60);
}

/** Set a delegation's colour on an element as a CSS custom property (CSSOM, allowed by CSP). */
export function paint(node, colour) {
  if (colour && /^#[0-9a-fA-F]{3,8}$/.test(colour)) node.style.setProperty("--del", colour);
  return node;
}

/** Read and write small per-browser values without throwing when storage is disabled. */
export const store = {
  get(key, fallback = null) {
    try {
      const raw = window.localStorage.getItem(key);
      return raw === null ? fallback : JSON.parse(raw);
    } catch {
      return fallback;
    }
  },
  set(key, value) {
    try {
      window.localStorage.setItem(key, JSON.stringify(value));
    } catch {
      /* storage full or disabled: the page still works, it just forgets on reload */
    }
  },
  remove(key) {
    try {
      window.localStorage.removeItem(key);
    } catch {
      /* ignore */
    }
  },
};
