#!/usr/bin/python3
# lib-browser.py: drive headless Chromium over the DevTools protocol for the
# web view's browser test. Usage: lib-browser.py PROFILE_DIR COMMAND...
# where each COMMAND is one argument:
#   goto:URL            load URL and wait for it
#   fill:SELECTOR=TEXT  set a form field
#   click:SELECTOR      click an element and wait for the next page
#   count:SELECTOR      print how many elements match
#   text:SELECTOR       print the text of the first match
#   js:EXPRESSION       print the value of a JavaScript expression
#   width:PIXELS        emulate a screen this wide (a phone: 390)
#   shot:FILE           save a PNG screenshot of the whole page
#   sh:COMMAND          run a shell command (to change the data meanwhile)
#   sleep:SECONDS       wait (pages may reload themselves meanwhile)
# Each result is printed as "COMMAND => VALUE"; console and CSP messages as "log: ...".
import base64, json, os, subprocess, sys, time, urllib.request
import websocket

profile, commands = sys.argv[1], sys.argv[2:]
chrome = subprocess.Popen(
    ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
     "--no-first-run", "--disable-background-networking", "--disable-component-update",
     "--disable-sync", "--user-data-dir=" + profile, "--remote-debugging-port=0",
     "--remote-allow-origins=*", "--window-size=1200,900", "--hide-scrollbars", "about:blank"],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    portfile = os.path.join(profile, "DevToolsActivePort")
    for _ in range(300):
        if os.path.exists(portfile) and open(portfile).read().count("\n") >= 1:
            break
        time.sleep(0.1)
    port = open(portfile).read().split("\n")[0]
    for _ in range(100):
        pages = [t for t in json.load(urllib.request.urlopen(
            "http://127.0.0.1:%s/json/list" % port)) if t["type"] == "page"]
        if pages:
            break
        time.sleep(0.1)
    ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=30,
                                     suppress_origin=True)
    next_id = [0]
    events = []

    def call(method, **params):
        next_id[0] += 1
        ws.send(json.dumps({"id": next_id[0], "method": method, "params": params}))
        while True:
            msg = json.loads(ws.recv())
            if msg.get("id") == next_id[0]:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            events.append(msg)

    def wait_load():
        deadline = time.time() + 20
        while time.time() < deadline:
            while events:
                ev = events.pop(0)
                if ev.get("method") == "Page.loadEventFired":
                    return
                if ev.get("method") == "Log.entryAdded":
                    print("log:", ev["params"]["entry"].get("text", ""))
            msg = json.loads(ws.recv())
            events.append(msg)
        raise RuntimeError("page did not load")

    def js(expr):
        r = call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("js: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    call("Page.enable")
    call("Log.enable")
    for cmd in commands:
        op, _, arg = cmd.partition(":")
        if op == "goto":
            call("Page.navigate", url=arg)
            wait_load()
            value = js("location.pathname")
        elif op == "fill":
            sel, _, text = arg.partition("=")
            value = js("(e => (e.value = %s, 'ok'))(document.querySelector(%s))"
                       % (json.dumps(text), json.dumps(sel)))
        elif op == "click":
            js("setTimeout(() => document.querySelector(%s).click(), 0), 0" % json.dumps(arg))
            wait_load()
            value = js("location.pathname")
        elif op == "count":
            value = js("document.querySelectorAll(%s).length" % json.dumps(arg))
        elif op == "text":
            value = js("(e => e ? e.textContent : null)(document.querySelector(%s))"
                       % json.dumps(arg))
        elif op == "js":
            value = js(arg)
        elif op == "width":
            call("Emulation.setDeviceMetricsOverride", width=int(arg), height=800,
                 deviceScaleFactor=1, mobile=int(arg) < 600)
            value = arg
        elif op == "sh":
            value = subprocess.run(arg, shell=True).returncode
        elif op == "sleep":
            end = time.time() + float(arg)
            ws.settimeout(0.2)
            while time.time() < end:
                try:
                    events.append(json.loads(ws.recv()))
                except websocket.WebSocketTimeoutException:
                    pass
            ws.settimeout(30)
            value = arg
        elif op == "shot":
            png = call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            with open(arg, "wb") as f:
                f.write(base64.b64decode(png["data"]))
            value = os.path.getsize(arg)
        else:
            raise RuntimeError("unknown command " + cmd)
        print("%s => %s" % (cmd, value), flush=True)
    while events:
        ev = events.pop(0)
        if ev.get("method") == "Log.entryAdded":
            print("log:", ev["params"]["entry"].get("text", ""))
finally:
    chrome.terminate()
    try:
        chrome.wait(10)
    except subprocess.TimeoutExpired:
        chrome.kill()
