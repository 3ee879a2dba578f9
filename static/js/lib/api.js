// The JSON API as the facilitator's pages call it: a bearer token kept fresh, one answer shape
// ({ok, ...} or {ok: false, error: {code, message}}) even when the server cannot be reached.
import { keepTokenFresh } from "./renew.js";

let token = document.body.dataset.token || "";
if (token) keepTokenFresh((fresh) => (token = fresh), Number(document.body.dataset.tokenSeconds || 3600));

const UNREACHABLE = { ok: false, status: 0, error: { code: "offline", message: "The server cannot be reached: check the connection and try again." } };

/**
 * Call the API. `body`: an object (sent as JSON) or a FormData (sent as multipart).
 * Resolves to the server's answer with its HTTP `status` added; never throws.
 */
export async function api(method, path, body = undefined) {
  const headers = { Authorization: `Bearer ${token}` };
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, { method, headers, body: payload, credentials: "same-origin" });
  } catch {
    return { ...UNREACHABLE };
  }
  const answer = await response.json().catch(() => null);
  if (!answer || typeof answer !== "object") {
    return { ok: false, status: response.status, error: { code: "bad_answer", message: `The server answered ${response.status} without an explanation.` } };
  }
  return { ...answer, status: response.status };
}

/** Download a file the API serves (a zip): fetched with the token, saved under its name. */
export async function download(path, fallbackName) {
  let response;
  try {
    response = await fetch(path, { headers: { Authorization: `Bearer ${token}` }, credentials: "same-origin" });
  } catch {
    return { ...UNREACHABLE };
  }
  if (!response.ok) {
    const answer = await response.json().catch(() => null);
    return answer || { ok: false, error: { code: "bad_answer", message: `The server answered ${response.status}.` } };
  }
  const blob = await response.blob();
  const match = /filename="?([^";]+)"?/.exec(response.headers.get("Content-Disposition") || "");
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = match ? match[1] : fallbackName;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  return { ok: true };
}

/** One problem as a line of text: "injects.yaml, line 42, field injects[3].id: message". */
export function problemText(problem) {
  const where = [problem.file, problem.line ? `line ${problem.line}` : "", problem.field ? `field ${problem.field}` : ""].filter(Boolean).join(", ");
  return where ? `${where}: ${problem.message}` : problem.message;
}
