// The host side of the awstin-edge WASM module: it hands the module JSON, sends the signed
// requests the module makes with the host's own `fetch`, and hands the answers back. The
// module has no clock, no network and no timer; this file gives it all three, and retries
// what the module says may be retried, with jittered backoff (the loop of awstin_core::wire's
// documentation).

/** An input the module refused, before anything was sent. */
export class Refused extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export class Edge {
  /** `module` is a compiled WebAssembly.Module (or its bytes, under Node). */
  static async load(module) {
    const instance = module instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(module, {})
      : (await WebAssembly.instantiate(module, {})).instance;
    return new Edge(instance.exports);
  }

  constructor(exports) {
    this.exports = exports;
  }

  /** Calls one of the module's entry points with `input`; its JSON output. */
  call(entry, input) {
    const bytes = encoder.encode(JSON.stringify(input));
    const ptr = this.exports.alloc(bytes.length);
    new Uint8Array(this.exports.memory.buffer, ptr, bytes.length).set(bytes);
    const code = this.exports[entry](ptr, bytes.length);
    const out = new Uint8Array(this.exports.memory.buffer, this.exports.output(), this.exports.output_len());
    const result = JSON.parse(decoder.decode(out));
    if (code !== 0) {
      throw new Refused(`${entry} refused its input: ${result.error}`);
    }
    return result;
  }

  /** Where requests go and the credentials that sign them. */
  configure(config) {
    this.call('configure', config);
  }

  /**
   * Runs operation `op` with `input`: makes its requests, sends each (again after a backoff
   * while the answer says it may be retried, or a batch leaves part of it), and reads each
   * answer. `options.fetch` and `options.sleep` are the host's; `options.now` its clock in
   * seconds. The answers, one per request.
   */
  async run(op, input = {}, options = {}) {
    const send = options.fetch ?? fetch;
    const sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    const now = options.now ?? (() => Math.floor(Date.now() / 1000));
    const attempts = options.attempts ?? 5;
    const { requests } = this.call('request', { ...input, op, time: now() });
    const answers = [];
    for (let request of requests) {
      for (let attempt = 0; ; attempt++) {
        let answer;
        try {
          const response = await send(request.url, {
            method: request.method,
            headers: request.headers,
            body: request.body,
          });
          answer = this.call('answer', { op, status: response.status, body: await response.text() });
        } catch (lost) {
          if (lost instanceof Refused) throw lost;
          // No answer: a read may be sent again; a write's outcome is unknown.
          answer = { ok: false, failure: 'Unreachable', retryable: true, code: null, stored: null };
        }
        // The request to send next: what a batch left (signed anew, at the time it is sent),
        // or the same again after a failure that may be retried; none when this is the answer.
        let next = null;
        if (answer.ok && answer.again) {
          [next] = this.call('request', { op: 'again', again: answer.again, time: now() }).requests;
        } else if (!answer.ok && answer.retryable) {
          next = request;
        }
        if (!next || attempt + 1 >= attempts) {
          answers.push(answer);
          break;
        }
        // Full jitter: a random wait up to 50 ms, doubled each attempt, at most 5 s.
        await sleep(Math.random() * Math.min(5000, 50 * 2 ** attempt));
        request = next;
      }
    }
    return answers;
  }
}
