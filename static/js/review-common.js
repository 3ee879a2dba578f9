// Shared helpers of the review page: the JSON calls and building DOM from text (never markup).

const root = document.getElementById("review");

export const base = root ? root.dataset.base : "";
export const query = root ? root.dataset.query : "";

/** GET one of the review's JSON endpoints, with the page's share/anonymise arguments. */
export async function getJSON(path, params = {}) {
  const search = new URLSearchParams(query);
  for (const [key, value] of Object.entries(params)) {
    if (value !== "" && value !== null && value !== undefined) search.set(key, value);
  }
  const response = await fetch(`${base}/${path}?${search}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

/** An element with a class and text (or child nodes). */
export function el(tag, className, content) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (content === undefined || content === null) return node;
  if (Array.isArray(content)) {
    for (const child of content) {
      if (child === null || child === undefined) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
  } else {
    node.textContent = String(content);
  }
  return node;
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export function pill(text, extra = "") {
  return el("span", `rv-pill ${extra}`.trim(), text);
}

export function showError(container, error) {
  container.replaceChildren(el("li", "rv-error", `Could not load: ${error.message}`));
}
