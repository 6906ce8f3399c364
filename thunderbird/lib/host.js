// The native host over one long-lived port (runtime.connectNative): requests carry an id and
// the protocol version, answers are matched by id. A dead port fails what is pending with an
// error answer and is opened again on the next request; a request never waits forever.
export const PROTOCOL_VERSION = 1;
export const HOST_NAME = "mailscope";

export class HostClient {
  constructor(connect, { timeoutMs = 15000 } = {}) {
    this.connect = connect;
    this.timeoutMs = timeoutMs;
    this.port = null;
    this.next = 1;
    this.pending = new Map();
  }

  request(op, fields = {}) {
    const id = this.next++;
    return new Promise(resolve => {
      const timer = setTimeout(() => this.settle(id, failure("timeout", "Mailscope did not answer in time.")), this.timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        this.ensurePort().postMessage({ ...fields, op, id, version: PROTOCOL_VERSION });
      } catch (error) {
        this.settle(id, failure("host_unavailable", String(error && error.message || error)));
      }
    });
  }

  ensurePort() {
    if (this.port) return this.port;
    const port = this.connect();
    port.onMessage.addListener(answer => {
      if (answer && this.pending.has(answer.id)) this.settle(answer.id, answer);
    });
    port.onDisconnect.addListener(() => {
      const why = (port.error && port.error.message) || "Mailscope's helper program stopped.";
      if (this.port === port) this.port = null;
      for (const id of [...this.pending.keys()]) this.settle(id, failure("host_unavailable", why));
    });
    this.port = port;
    return port;
  }

  settle(id, answer) {
    const waiting = this.pending.get(id);
    if (!waiting) return;
    clearTimeout(waiting.timer);
    this.pending.delete(id);
    waiting.resolve(answer);
  }
}

export function failure(code, message) {
  return { version: PROTOCOL_VERSION, ok: false, error: { code, message } };
}
