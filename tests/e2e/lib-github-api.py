#!/usr/bin/env python3
"""lib-github-api.py: a stand-in for GitHub's REST API on 127.0.0.1, for the tests.

It speaks the documented endpoints Lifebelt uses, and checks what GitHub checks:
  GET  /repos/{owner}/{repo}/installation          (the App's JWT)
  POST /app/installations/{id}/access_tokens       (the App's JWT)
  POST /repos/{owner}/{repo}/statuses/{sha}        (a token it issued, or the fine-grained one)
The JWT's RS256 signature is verified with the App's public key by
`openssl dgst -sha256 -verify`; an expired JWT, or one issued in the future,
is refused. For the test:
  GET  /_standin/received      every API request so far, as a JSON array
  GET  /_standin/tokens        the installation tokens it issued (to look for them where they must not be)
  POST /_standin/fail          {"count": N, "status": 500}: fail the next N API requests
The port it listens on is written to --port-file once it listens.
"""
import argparse
import base64
import json
import os
import re
import secrets
import subprocess
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ap = argparse.ArgumentParser()
ap.add_argument("--port-file", required=True)
ap.add_argument("--app-id", default="")
ap.add_argument("--app-public-key", default="")
ap.add_argument("--installation", type=int, default=4242)
ap.add_argument("--repos", default="", help="owner/name,... where the App is installed")
ap.add_argument("--fine-token-file", default="")
ap.add_argument("--token-ttl", type=int, default=3600)
ap.add_argument("--issued-file", default="",
                help="append each installation token issued here (for the git stand-in to accept)")
args = ap.parse_args()

lock = threading.Lock()
received = []
issued = {}          # token -> expiry
fail = {"count": 0, "status": 500}
installed = {r.lower() for r in args.repos.split(",") if r}


def b64url_decode(s):
    if re.search(r"[^A-Za-z0-9_-]", s):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def jwt_problem(token):
    """None if token is a valid JWT of the App, else what is wrong."""
    parts = token.split(".")
    if len(parts) != 3:
        return "not a JWT"
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        sig = b64url_decode(parts[2])
    except (ValueError, json.JSONDecodeError):
        return "a part is not base64url JSON"
    if header.get("alg") != "RS256" or header.get("typ") != "JWT":
        return "header is not RS256 JWT"
    now = int(time.time())
    iat, exp = claims.get("iat"), claims.get("exp")
    if not isinstance(iat, int) or not isinstance(exp, int):
        return "iat or exp missing"
    if iat > now + 5:
        return "'Issued at' claim ('iat') must be an Integer representing a time in the past"
    if exp <= now:
        return "'Expiration time' claim ('exp') is too far in the past"
    if exp - iat > 600:
        return "'Expiration time' claim ('exp') is too far in the future"
    if str(claims.get("iss")) != args.app_id:
        return "iss is not the App"
    with tempfile.TemporaryDirectory() as d:
        with open(os.path.join(d, "data"), "wb") as f:
            f.write((parts[0] + "." + parts[1]).encode())
        with open(os.path.join(d, "sig"), "wb") as f:
            f.write(sig)
        r = subprocess.run(["openssl", "dgst", "-sha256", "-verify", args.app_public_key,
                            "-signature", os.path.join(d, "sig"), os.path.join(d, "data")],
                           capture_output=True)
    if r.returncode != 0:
        return "A JSON web token could not be decoded"
    return None


def fine_token():
    if not args.fine_token_file:
        return None
    with open(args.fine_token_file) as f:
        return f.read().strip()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *a):
        pass

    def reply(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        self.record["status"] = status

    def bearer(self):
        h = self.headers.get("Authorization", "")
        m = re.fullmatch(r"(Bearer|token) (\S+)", h)
        return m.group(2) if m else None

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        raw = self.body()
        if self.path.startswith("/_standin/"):
            return self.control(method, raw)
        self.record = {"method": method, "path": self.path, "auth": "none", "status": 0,
                       "accept": self.headers.get("Accept", ""),
                       "api_version": self.headers.get("X-GitHub-Api-Version", ""),
                       "user_agent": self.headers.get("User-Agent", "")}
        try:
            self.record["body"] = json.loads(raw) if raw else None
        except json.JSONDecodeError:
            self.record["body"] = "(not JSON)"
        with lock:
            received.append(self.record)
            failing = fail["count"] > 0
            if failing:
                fail["count"] -= 1
        if failing:
            return self.reply(fail["status"], {"message": "the stand-in was told to fail"})
        self.route(method)

    def route(self, method):
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/installation", self.path)
        if m and method == "GET":
            return self.installation(m.group(1) + "/" + m.group(2))
        m = re.fullmatch(r"/app/installations/(\d+)/access_tokens", self.path)
        if m and method == "POST":
            return self.access_token(int(m.group(1)))
        m = re.fullmatch(r"/repos/([^/]+)/([^/]+)/statuses/([^/]+)", self.path)
        if m and method == "POST":
            return self.status(m.group(1) + "/" + m.group(2), m.group(3))
        self.reply(404, {"message": "Not Found"})

    def app_auth(self):
        token = self.bearer()
        problem = jwt_problem(token) if token else "no JWT"
        self.record["auth"] = "jwt" if not problem else "bad jwt: " + problem
        if problem:
            self.reply(401, {"message": problem})
            return False
        return True

    def installation(self, repo):
        if not self.app_auth():
            return
        if repo.lower() not in installed:
            return self.reply(404, {"message": "Not Found"})
        self.reply(200, {"id": args.installation, "app_id": int(args.app_id),
                         "account": {"login": repo.split("/")[0]}, "repository_selection": "selected"})

    def access_token(self, ident):
        if not self.app_auth():
            return
        if ident != args.installation:
            return self.reply(404, {"message": "Not Found"})
        token = "ghs_" + secrets.token_hex(18)
        expires = int(time.time()) + args.token_ttl
        with lock:
            issued[token] = expires
            if args.issued_file:
                with open(args.issued_file, "a") as f:
                    f.write(token + "\n")
        self.reply(201, {"token": token,
                         "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(expires)),
                         "permissions": {"statuses": "write", "contents": "read"},
                         "repository_selection": "selected"})

    def status(self, repo, sha):
        token = self.bearer()
        with lock:
            app_ok = token in issued and issued[token] > time.time()
        if app_ok:
            self.record["auth"] = "app token"
        elif token and token == fine_token():
            self.record["auth"] = "fine-grained token"
        else:
            self.record["auth"] = "bad token"
            return self.reply(401, {"message": "Bad credentials"})
        b = self.record["body"]
        if (not re.fullmatch(r"[0-9a-f]{40}", sha) or not isinstance(b, dict)
                or b.get("state") not in ("pending", "success", "failure", "error")
                or len(b.get("description", "")) > 140):
            return self.reply(422, {"message": "Validation Failed"})
        self.reply(201, {"id": len(received), "state": b["state"], "context": b.get("context", "default"),
                         "description": b.get("description"), "target_url": b.get("target_url")})

    def control(self, method, raw):
        self.record = {}
        if method == "GET" and self.path == "/_standin/received":
            with lock:
                return self.reply(200, list(received))
        if method == "GET" and self.path == "/_standin/tokens":
            with lock:
                return self.reply(200, sorted(issued))
        if method == "POST" and self.path == "/_standin/fail":
            req = json.loads(raw)
            with lock:
                fail["count"] = int(req["count"])
                fail["status"] = int(req.get("status", 500))
            return self.reply(200, {"ok": True})
        self.reply(404, {"message": "Not Found"})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(args.port_file + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(args.port_file + ".tmp", args.port_file)
server.serve_forever()
