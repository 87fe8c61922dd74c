// The browser tests' fixture: the real hrsurvey binary, run as an operator runs it, and
// Debian's chromium driven by playwright-core. A store is made in a fresh temp dir with
// the command line (`hrsurvey demo`, `hrsurvey invite`), `hrsurvey serve` listens on a
// free loopback port (read from its first stdout line), and SIGTERM stops it at the end.
//
// HRSURVEY_BIN overrides the binary (default: the dev build, build/dev/server/hrsurvey).

import { execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, open, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { chromium } from "playwright-core";

const run = promisify(execFile);

export const root = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const binary = process.env.HRSURVEY_BIN
  ? resolve(process.env.HRSURVEY_BIN)
  : join(root, "build", "dev", "server", "hrsurvey");
const defs = join(root, "survey_defs");

// How long anything may take before a test gives up: it only bounds a failure; nothing
// waits for it to pass.
export const patience_ms = 20_000;

// Runs `hrsurvey ARGS...`; resolves to {stdout, stderr}, rejects with its stderr when it
// exits non-zero.
export async function hrsurvey(...args) {
  try {
    return await run(binary, args, { timeout: patience_ms });
  } catch (err) {
    throw new Error(`hrsurvey ${args.join(" ")} failed (${err.code ?? err.signal}):\n${err.stderr ?? err.message}`);
  }
}

// Debian's chromium (package `chromium`); playwright-core downloads no browser.
export function launch_browser() {
  return chromium.launch({ executablePath: "/usr/bin/chromium", timeout: patience_ms });
}

// A store file in a fresh temp dir, made with `hrsurvey demo`: 40 staff in 5 teams,
// `responses` simulated responses over the last year, an access token of each role and
// the demo's two open invitations (English for s-101, Italian for s-109 and s-110).
export class demo_store {
  static async create({ responses = 300 } = {}) {
    const dir = await mkdtemp(join(tmpdir(), "hrsurvey-browser-"));
    const db = join(dir, "store.db");
    const { stdout } = await hrsurvey("demo", "--responses", String(responses), "--db", db, "--defs", defs);
    const token = (role) => stdout.match(new RegExp(`^\\s+${role}\\s+(hrs_\\S+)$`, "m"))?.[1];
    const links = [...stdout.matchAll(/\/s\/([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
    const store = new demo_store(dir, db);
    store.lead = token("lead");
    store.admin = token("admin");
    store.english_invitation = links[0];
    store.italian_invitation = links[1];
    if (!store.lead || !store.admin || links.length !== 2)
      throw new Error(`unexpected output of hrsurvey demo:\n${stdout}`);
    return store;
  }

  constructor(dir, db) {
    this.dir = dir;
    this.db = db;
  }

  // `hrsurvey invite`: a new invitation to hr-service; resolves to {token, id}. With
  // `locale: null` the invitation names no language.
  async invite({ staff = ["s-101"], locale = "en" } = {}) {
    const args = ["invite", "--db", this.db, "--defs", defs];
    if (locale !== null) args.push("--locale", locale);
    for (const s of staff) args.push("--staff", s);
    const { stdout, stderr } = await hrsurvey(...args);
    const token = stdout.match(/\/s\/([A-Za-z0-9_-]+)/)?.[1];
    const id = stderr.match(/invitation (inv_\S+)/)?.[1];
    if (!token || !id) throw new Error(`unexpected output of hrsurvey invite:\n${stdout}\n${stderr}`);
    return { token, id };
  }

  // Moves an invitation's expiry a day into the past with the sqlite3 shell. The command
  // line makes no expired invitation (--expires-in-days is 1 to 365), and the test must
  // not wait 24 hours; call this before the server opens the store.
  async expire(invitation_id) {
    if (!/^inv_[A-Za-z0-9_-]+$/.test(invitation_id)) throw new Error(`bad id ${invitation_id}`);
    const { stdout } = await run(
      "sqlite3",
      [
        this.db,
        `UPDATE invitations SET expires_at = unixepoch() - 86400 WHERE id = '${invitation_id}';` +
          " SELECT changes();",
      ],
      { timeout: patience_ms },
    );
    if (stdout.trim() !== "1") throw new Error(`no invitation ${invitation_id} to expire`);
  }

  async remove() {
    await rm(this.dir, { recursive: true, force: true });
  }
}

// `hrsurvey serve --listen 127.0.0.1:0` on a store; `url` is where it listens. Its log
// (stderr) goes to server.log beside the store, shown when start-up fails.
export class server_process {
  static async start(store) {
    const log_file = join(store.dir, "server.log");
    const log = await open(log_file, "a");
    const child = spawn(
      binary,
      ["serve", "--listen", "127.0.0.1:0", "--db", store.db, "--defs", defs, "--log-level", "warn"],
      { stdio: ["ignore", "pipe", log.fd] },
    );
    await log.close();
    const server = new server_process(child, log_file);
    try {
      server.url = await first_line_address(child);
    } catch (err) {
      await server.stop();
      throw new Error(`${err.message}\nserver log:\n${await server.log()}`);
    }
    return server;
  }

  constructor(child, log_file) {
    this.child = child;
    this.log_file = log_file;
    this.exited = once(child, "exit").then(([code, signal]) => (signal ? `signal ${signal}` : code));
  }

  log() {
    return readFile(this.log_file, "utf8").catch(() => "");
  }

  // Sends SIGTERM and resolves to the exit code (0 after a clean drain), or "signal X".
  // A server still running after `patience_ms` is killed, and says so.
  async stop() {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGTERM");
    let timer;
    const late = new Promise((done) => {
      timer = setTimeout(() => {
        this.child.kill("SIGKILL");
        done("killed: still running after SIGTERM");
      }, patience_ms);
    });
    try {
      return await Promise.race([this.exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

// Reads the server's stdout up to its first line, "hrsurvey listening on http://HOST:PORT
// (...)", and resolves to "http://HOST:PORT".
function first_line_address(child) {
  return new Promise((resolve_address, reject) => {
    let text = "";
    const timer = setTimeout(() => finish(new Error("hrsurvey serve printed no address in time")), patience_ms);
    const finish = (err, url) => {
      clearTimeout(timer);
      child.stdout.removeAllListeners("data");
      child.removeListener("exit", on_exit);
      child.stdout.resume(); // whatever follows is drained, never blocks the server
      if (err) reject(err);
      else resolve_address(url);
    };
    const on_exit = (code) => finish(new Error(`hrsurvey serve exited with ${code} before listening`));
    child.on("exit", on_exit);
    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const end = text.indexOf("\n");
      if (end < 0) return;
      const m = text.slice(0, end).match(/^hrsurvey listening on (http:\/\/127\.0\.0\.1:\d+) \(/);
      finish(m ? null : new Error(`unexpected first line: ${text.slice(0, end)}`), m?.[1]);
    });
  });
}

// A GET of the JSON API with a bearer token; resolves to the parsed body, throws unless
// the status is 200.
export async function api_get(server, path, token) {
  const res = await fetch(server.url + path, {
    headers: { authorization: `Bearer ${token}` },
    signal: AbortSignal.timeout(patience_ms),
  });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body}`);
  return JSON.parse(body);
}

// One test's world: a demo store, the server on it and a fresh browser context with
// `context_options`. `prepare(store)`, when given, runs before the server starts; what it
// returns is kept as `store.prepared`. Everything is torn down after the test, and the
// server must exit 0 on SIGTERM (a clean drain) or the test fails.
export async function survey_world(t, browser, { responses, context_options = {}, prepare } = {}) {
  const store = await demo_store.create({ responses });
  let server;
  try {
    if (prepare) store.prepared = await prepare(store);
    server = await server_process.start(store);
  } catch (err) {
    await store.remove();
    throw err;
  }
  const context = await browser.newContext(context_options);
  context.setDefaultTimeout(patience_ms);
  t.after(async () => {
    await context.close();
    const exit = await server.stop();
    const log = await server.log();
    await store.remove();
    if (exit !== 0) throw new Error(`hrsurvey serve ended with ${exit} on SIGTERM; log:\n${log}`);
  });
  return { store, server, context };
}
