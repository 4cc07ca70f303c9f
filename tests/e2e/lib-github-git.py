# lib-github-git.py: a stand-in for github.com's git side over HTTP: the bare
# repositories under ROOT served by git's own `git http-backend`, to clients
# that give Basic auth x-access-token:TOKEN, TOKEN being a line of what TOKEN_FILE holds
# at the time of the request (so a test can "expire" it).
#
#   python3 lib-github-git.py PORT ROOT TOKEN_FILE LOG
#
# Each request's method, path and whether it was let in go to LOG (never the
# credentials). While the file ROOT/slow exists, every request waits a second
# first, so that a test can look at the processes in the middle of a fetch.
import base64, http.server, os, subprocess, sys, time

port, root, token_file, log = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, fmt, *args):
        pass

    def note(self, what):
        with open(log, "a") as f:
            f.write("%s %s %s\n" % (self.command, self.path, what))

    def authorised(self):
        # Each line is a token GitHub would take (the fine-grained one, an App's installation tokens).
        with open(token_file) as f:
            tokens = [t.strip() for t in f if t.strip()]
        return any(self.headers.get("Authorization") ==
                   "Basic " + base64.b64encode(("x-access-token:" + t).encode()).decode()
                   for t in tokens)

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                n = int(self.rfile.readline().strip(), 16)
                if not n:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(n)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def serve(self):
        if os.path.exists(os.path.join(root, "slow")):
            time.sleep(1)
        data = self.body() if self.command == "POST" else b""
        if not self.authorised():
            self.note("401")
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="GitHub"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1",
                   PATH_INFO=path, QUERY_STRING=query, REQUEST_METHOD=self.command,
                   CONTENT_TYPE=self.headers.get("Content-Type", ""),
                   CONTENT_LENGTH=str(len(data)), REMOTE_ADDR="127.0.0.1",
                   GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
        out = subprocess.run(["git", "http-backend"], input=data, env=env,
                             stdout=subprocess.PIPE).stdout
        head, _, rest = out.partition(b"\r\n\r\n")
        status = 200
        headers = []
        for line in head.split(b"\r\n"):
            k, _, v = line.decode().partition(":")
            if k.lower() == "status":
                status = int(v.split()[0])
            elif k:
                headers.append((k, v.strip()))
        self.note(str(status))
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(rest)))
        self.end_headers()
        self.wfile.write(rest)

    do_GET = serve
    do_POST = serve


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
