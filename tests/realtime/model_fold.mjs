// Fold a sync and live events in the browser's SessionModel (static/js/lib/model.js), in several
// arrival orders, and print each resulting state. Input on stdin: {model, sync, events, orders}.
import { readFileSync } from "node:fs";

const input = JSON.parse(readFileSync(0, "utf8"));
const { SessionModel } = await import(input.model);
const out = [];
for (const order of input.orders) {
  const model = new SessionModel();
  const sync = structuredClone(input.sync);
  model.applySync(sync, []);
  const head = sync.session.head_seq;
  for (const index of order) {
    const event = structuredClone(input.events[index]);
    model.applyEvent(event, event.seq > head);
  }
  out.push(model.state);
}
process.stdout.write(JSON.stringify(out));
