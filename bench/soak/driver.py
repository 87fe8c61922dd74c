#!/usr/bin/env python3
"""Mixed traffic for bench/soak/run.sh, and the sampler of the server's RSS and fds.

Worker threads, each with its own kept-alive connection, pick one of these by weight
until the time is up:

  api_response   POST /api/v1/invitations (integration token), POST /api/v1/responses
  form_response  POST /api/v1/invitations, GET /s/{token}, POST /s/{token} (303)
  campaign_form  GET /c/hr-service
  report         GET /api/v1/reports/overview or /api/v1/reports/staff/{id} (lead token)
  dashboard      GET /dashboard or /dashboard/staff/{id} with a session cookie; every
                 20th visit signs out (POST /logout) and in again (POST /login)

Every answer is checked for its expected status; anything else counts as an error and
the first few are printed. A sampler thread reads VmRSS from /proc/PID/status and counts
/proc/PID/fd every SAMPLE seconds, reads the heap of SQLite's page caches from /metrics
(hrsurvey_sqlite_cache_bytes, with the lead token) and the store's size, and writes them
as CSV.

Prints a summary as JSON on stdout; exits 1 if any request failed.
Only the standard library: nothing to install.
"""

import argparse
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import urllib.parse

FORM_BODY = ("request_type={type}&importance={a}&courtesy={b}&timeliness={c}&quality={d}"
             "&expectations={e}&comment=Soak+test+comment+{n}")
TYPES = ["benefits", "payroll", "leave", "hiring", "training", "policy", "other"]
CSRF = re.compile(r'name="_csrf" value="([0-9a-f]+)"')


class Failure(Exception):
    pass


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests = {}  # "METHOD /route" -> count
        self.errors = 0
        self.error_samples = []

    def count(self, key):
        with self.lock:
            self.requests[key] = self.requests.get(key, 0) + 1

    def error(self, text):
        with self.lock:
            self.errors += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(text)


class Client:
    """One kept-alive connection; reconnects when the server closed it."""

    def __init__(self, host, port, stats):
        self.host, self.port, self.stats = host, port, stats
        self.conn = None

    def request(self, method, target, route, expect, body=None, headers=None):
        headers = dict(headers or {})
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
            try:
                self.conn.request(method, target, body=body, headers=headers)
                reply = self.conn.getresponse()
                data = reply.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # A kept-alive connection the server closed (idle timeout) between two
                # requests: retried once on a new one. Nothing was processed.
                self.conn.close()
                self.conn = None
                if attempt == 1:
                    raise
                continue
            if reply.getheader("Connection", "").lower() == "close":
                self.conn.close()
                self.conn = None
            self.stats.count(f"{method} {route}")
            if reply.status != expect:
                raise Failure(f"{method} {route}: {reply.status} (expected {expect}): "
                              f"{data[:200]!r}")
            return reply, data
        raise AssertionError("unreachable")


class Worker:
    def __init__(self, args, stats, staff, seed):
        self.args, self.stats, self.staff = args, stats, staff
        self.rng = random.Random(seed)
        url = urllib.parse.urlsplit(args.url)
        self.client = Client(url.hostname, url.port, stats)
        self.cookie = None
        self.csrf = None
        self.visits = 0

    def invite(self):
        body = json.dumps({"survey": "hr-service", "staff": [self.rng.choice(self.staff)],
                           "locale": self.rng.choice(["en", "it", "es", "ro", "zh-Hant"])})
        _, data = self.client.request(
            "POST", "/api/v1/invitations", "/api/v1/invitations", 201, body,
            {"Authorization": f"Bearer {self.args.integration_token}",
             "Content-Type": "application/json"})
        return json.loads(data)["token"]

    def ratings(self):
        return [self.rng.randint(1, 5) for _ in range(5)]

    def api_response(self):
        token = self.invite()
        a, b, c, d, _ = self.ratings()
        body = json.dumps({"token": token, "answers": {
            "request_type": self.rng.choice(TYPES), "importance": a, "courtesy": b,
            "timeliness": c, "quality": d, "comment": "soak: resolved quickly"}})
        self.client.request("POST", "/api/v1/responses", "/api/v1/responses", 201, body,
                            {"Content-Type": "application/json"})

    def form_response(self):
        token = self.invite()
        self.client.request("GET", f"/s/{token}", "/s/{token}", 200)
        a, b, c, d, e = self.ratings()
        body = FORM_BODY.format(type=self.rng.choice(TYPES), a=a, b=b, c=c, d=d, e=e,
                                n=self.rng.randint(0, 10**6))
        self.client.request("POST", f"/s/{token}", "/s/{token}", 303, body,
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def campaign_form(self):
        self.client.request("GET", "/c/hr-service", "/c/{survey}", 200)

    def report(self):
        auth = {"Authorization": f"Bearer {self.args.lead_token}"}
        if self.rng.random() < 0.5:
            self.client.request("GET", "/api/v1/reports/overview", "/api/v1/reports/overview",
                                200, headers=auth)
        else:
            staff = self.rng.choice(self.staff)
            self.client.request("GET", f"/api/v1/reports/staff/{staff}",
                                "/api/v1/reports/staff/{id}", 200, headers=auth)

    def sign_in(self):
        reply, _ = self.client.request("POST", "/login", "/login", 303,
                                       f"token={self.args.lead_token}",
                                       {"Content-Type": "application/x-www-form-urlencoded"})
        self.cookie = reply.getheader("Set-Cookie").split(";")[0]
        self.csrf = None

    def dashboard(self):
        if self.cookie is None:
            self.sign_in()
        self.visits += 1
        if self.visits % 20 == 0 and self.csrf:
            self.client.request("POST", "/logout", "/logout", 303, f"_csrf={self.csrf}",
                                {"Content-Type": "application/x-www-form-urlencoded",
                                 "Cookie": self.cookie})
            self.sign_in()
        if self.rng.random() < 0.5:
            _, html = self.client.request("GET", "/dashboard", "/dashboard", 200,
                                          headers={"Cookie": self.cookie})
        else:
            staff = self.rng.choice(self.staff)
            _, html = self.client.request("GET", f"/dashboard/staff/{staff}",
                                          "/dashboard/staff/{id}", 200,
                                          headers={"Cookie": self.cookie})
        found = CSRF.search(html.decode("utf-8", "replace"))
        if found:
            self.csrf = found.group(1)

    def run(self, deadline):
        kinds = [self.api_response, self.form_response, self.campaign_form, self.report,
                 self.dashboard]
        weights = [self.args.weight_api, self.args.weight_form, self.args.weight_campaign,
                   self.args.weight_report, self.args.weight_dashboard]
        while time.monotonic() < deadline:
            kind = self.rng.choices(kinds, weights)[0]
            try:
                kind()
            except Exception as e:  # counted, then on with the next request
                self.stats.error(f"{kind.__name__}: {e}")
                if self.client.conn is not None:
                    self.client.conn.close()
                    self.client.conn = None
                self.cookie = None


MEMORY_SAMPLE = re.compile(
    r'^hrsurvey_(sqlite_cache|heap)_bytes\{(?:connection|state)="([a-z_]+)"\} (\S+)$', re.M)


def memory_kib(url, token):
    """From /metrics, on a connection of its own: the page caches' heap (writer and
    readers together), the heap in use and the heap freed but kept, in KiB."""
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        conn.request("GET", "/metrics", headers={"Authorization": f"Bearer {token}"})
        reply = conn.getresponse()
        text = reply.read().decode()
    finally:
        conn.close()
    if reply.status != 200:
        raise Failure(f"GET /metrics: {reply.status}")
    values = {(family, label): float(v) for family, label, v in MEMORY_SAMPLE.findall(text)}
    wanted = [("sqlite_cache", "writer"), ("sqlite_cache", "readers"), ("heap", "in_use"),
              ("heap", "free")]
    if any(key not in values for key in wanted):
        raise Failure(f"GET /metrics: missing one of {wanted}")
    kib = {key: int(values[key]) // 1024 for key in wanted}
    return (kib[("sqlite_cache", "writer")] + kib[("sqlite_cache", "readers")],
            kib[("heap", "in_use")], kib[("heap", "free")])


def proc_sample(pid):
    with open(f"/proc/{pid}/status") as f:
        rss = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def store_kib(db):
    total = 0
    for suffix in ("", "-wal"):
        try:
            total += os.path.getsize(db + suffix)
        except FileNotFoundError:
            pass
    return total // 1024


def sampler(args, stats, deadline, out):
    start = time.monotonic()
    out.write("elapsed_s,rss_kib,cache_kib,heap_kib,heap_free_kib,open_fds,store_kib,requests\n")
    next_at = start
    while True:
        now = time.monotonic()
        rss, fds = proc_sample(args.pid)
        cache, heap, heap_free = memory_kib(args.url, args.lead_token)
        with stats.lock:
            done = sum(stats.requests.values())
        out.write(f"{now - start:.0f},{rss},{cache},{heap},{heap_free},{fds},"
                  f"{store_kib(args.db)},{done}\n")
        out.flush()
        if now >= deadline:
            return
        next_at += args.sample
        time.sleep(max(0.0, min(next_at, deadline) - time.monotonic()))


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--db", required=True)
    p.add_argument("--lead-token", required=True)
    p.add_argument("--integration-token", required=True)
    p.add_argument("--staff", required=True, help="comma-separated staff ids")
    p.add_argument("--duration", type=float, required=True, help="seconds")
    p.add_argument("--workers", type=int, default=8)
    p.add_argument("--sample", type=float, default=5, help="seconds between samples")
    p.add_argument("--samples-csv", required=True)
    p.add_argument("--weight-api", type=float, default=30)
    p.add_argument("--weight-form", type=float, default=20)
    p.add_argument("--weight-campaign", type=float, default=5)
    p.add_argument("--weight-report", type=float, default=25)
    p.add_argument("--weight-dashboard", type=float, default=20)
    args = p.parse_args()

    stats = Stats()
    staff = args.staff.split(",")
    deadline = time.monotonic() + args.duration
    workers = [Worker(args, stats, staff, seed) for seed in range(args.workers)]
    threads = [threading.Thread(target=w.run, args=(deadline,), daemon=True) for w in workers]
    with open(args.samples_csv, "w") as out:
        for t in threads:
            t.start()
        sampler(args, stats, deadline, out)
        for t in threads:
            t.join()
    summary = {"requests": dict(sorted(stats.requests.items())),
               "total": sum(stats.requests.values()), "errors": stats.errors,
               "error_samples": stats.error_samples}
    json.dump(summary, sys.stdout, indent=1)
    print()
    return 1 if stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
