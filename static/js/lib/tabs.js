// Accessible tabs (WAI-ARIA tab pattern): arrow keys move between tabs, the URL hash keeps the
// open tab across a reload.

/**
 * @param {HTMLElement} list   the element with role="tablist"
 * @param {(name: string) => void} [onShow]  called with the tab's name when it opens
 * @returns {{show(name: string): void, current(): string}}
 */
export function setupTabs(list, onShow) {
  const tabs = Array.from(list.querySelectorAll("[role=tab]"));
  let current = "";

  function show(name, focus = false) {
    const tab = tabs.find((t) => t.dataset.tab === name) || tabs[0];
    for (const t of tabs) {
      const selected = t === tab;
      t.setAttribute("aria-selected", String(selected));
      t.tabIndex = selected ? 0 : -1;
      document.getElementById(t.getAttribute("aria-controls")).hidden = !selected;
    }
    current = tab.dataset.tab;
    if (focus) tab.focus();
    if (window.location.hash !== `#${current}`) history.replaceState(null, "", `#${current}`);
    onShow?.(current);
  }

  // A tab opened by the reader starts at its top (the previous panel may have been scrolled).
  const open = (name, focus) => {
    show(name, focus);
    if (window.scrollY > 0) window.scrollTo({ top: 0 });
  };
  list.addEventListener("click", (event) => {
    const tab = event.target.closest("[role=tab]");
    if (tab) open(tab.dataset.tab);
  });
  list.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight") next = tabs[(index + 1) % tabs.length];
    else if (event.key === "ArrowLeft") next = tabs[(index - 1 + tabs.length) % tabs.length];
    else if (event.key === "Home") next = tabs[0];
    else if (event.key === "End") next = tabs[tabs.length - 1];
    if (next) {
      event.preventDefault();
      open(next.dataset.tab, true);
    }
  });
  window.addEventListener("hashchange", () => {
    const name = window.location.hash.slice(1);
    if (name && name !== current && tabs.some((t) => t.dataset.tab === name)) show(name);
  });
  show(window.location.hash.slice(1) || tabs[0].dataset.tab);
  return { show: open, current: () => current };
}

/** Set the small counter badge of a tab (0 hides it). */
export function setBadge(list, name, count, label) {
  const tab = list.querySelector(`[data-tab="${name}"]`);
  if (!tab) return;
  const badge = tab.querySelector(".tab-badge");
  if (!badge) return;
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = !count;
  badge.setAttribute("aria-label", count ? `${count} ${label}` : "");
}
