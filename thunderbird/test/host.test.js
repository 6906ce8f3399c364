import assert from "node:assert/strict";
import { test } from "node:test";
import { HostClient, PROTOCOL_VERSION } from "../lib/host.js";

class FakePort {
  constructor() { this.sent = []; this.listeners = { message: [], disconnect: [] }; this.error = null; }
  get onMessage() { return { addListener: f => this.listeners.message.push(f) }; }
  get onDisconnect() { return { addListener: f => this.listeners.disconnect.push(f) }; }
  postMessage(value) { this.sent.push(value); }
  answer(value) { this.listeners.message.forEach(f => f(value)); }
  drop(message) { this.error = message ? { message } : null; this.listeners.disconnect.forEach(f => f(this)); }
}

test("requests carry an op, an id and the version; answers are matched by id", async () => {
  const port = new FakePort();
  const client = new HostClient(() => port);
  const first = client.request("explain", { message: { subject: "a" } });
  const second = client.request("hello");
  assert.deepEqual(port.sent.map(r => [r.op, r.id, r.version]), [["explain", 1, PROTOCOL_VERSION], ["hello", 2, PROTOCOL_VERSION]]);
  port.answer({ id: 2, ok: true, host: "mailscope" });
  port.answer({ id: 99, ok: true });
  port.answer({ id: 1, ok: true, reason: "not_a_contact" });
  assert.equal((await second).host, "mailscope");
  assert.equal((await first).reason, "not_a_contact");
});

test("a dead port fails what is pending and a new port is opened for the next request", async () => {
  const ports = [new FakePort(), new FakePort()];
  let opened = 0;
  const client = new HostClient(() => ports[opened++]);
  const pending = client.request("hello");
  ports[0].drop("No such native application mailscope");
  assert.deepEqual((await pending).error, { code: "host_unavailable", message: "No such native application mailscope" });
  const next = client.request("hello");
  assert.equal(opened, 2);
  ports[1].answer({ id: 2, ok: true });
  assert.equal((await next).ok, true);
});

test("a request never waits forever", async () => {
  const client = new HostClient(() => new FakePort(), { timeoutMs: 20 });
  const answer = await client.request("hello");
  assert.equal(answer.error.code, "timeout");
});

test("a port that cannot be opened is an error answer, not an exception", async () => {
  const client = new HostClient(() => { throw new Error("nativeMessaging not allowed"); });
  assert.equal((await client.request("hello")).error.message, "nativeMessaging not allowed");
});
