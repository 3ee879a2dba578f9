// Facilitator tokens (`f.`) live for an hour (FACILITATOR_TOKEN_MINUTES): the console asks for
// a fresh one with its sign-in cookie well before that, so the page never notices. Signing
// out (on any device) ends the cookie, and the next renewal sends the page to the sign-in form.

/**
 * Keep a facilitator token fresh.
 * @param {(token: string) => void} onToken  called with each new token
 * @param {number} lifetimeSeconds           how long a token lives
 */
export function keepTokenFresh(onToken, lifetimeSeconds) {
  const every = Math.max(30, lifetimeSeconds / 3) * 1000;
  let last = Date.now();

  async function renew() {
    last = Date.now();
    let response;
    try {
      response = await fetch("/api/facilitator/token/renew", {
        method: "POST",
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      });
    } catch {
      return; // offline: try again at the next turn; the token still has time left
    }
    if (response.status === 401) {
      const next = encodeURIComponent(window.location.pathname);
      window.location.assign(`/signin?next=${next}`);
      return;
    }
    const answer = await response.json().catch(() => ({ ok: false }));
    if (answer.ok) onToken(answer.token);
  }

  setInterval(renew, every);
  // A laptop that slept skipped its timers: renew as soon as the page is seen again.
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible" && Date.now() - last > every) renew();
  });
}
