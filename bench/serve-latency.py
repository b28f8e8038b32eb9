#!/usr/bin/env python3
"""Measures edit-to-reload time of `playbook serve`: from saving a page to the browser's reload
event, and to the new page being fetched.

Usage: bench/serve-latency.py PLAYBOOK_BINARY SITE_DIR [EDITS [PAGE URL INDEX]]

PAGE (a file under SITE_DIR), URL (its address) and INDEX (its search index's folder) default to
the bundled online record access playbook, /playbooks/online-record-access/ and /search/index/;
for a Welsh page of a generated corpus: content/playbooks/playbook-00001.cy.md
/cy/playbooks/playbook-00001/ /search/index/cy/.

Starts `PLAYBOOK serve --port 0` on SITE_DIR (make one with bench/generate-corpus.py), listens to
its event stream as a browser does, then EDITS times (default 20): saves one published playbook's
body the way editors do (temporary file, then rename over the page), with a word no other page
has, waits for the reload event, fetches the page and checks that it holds the edit, and checks
that the search index changed with it (its manifest's build id). Prints the median and worst
times, and serve's own lines.
"""
import os
import pathlib
import re
import socket
import statistics
import subprocess
import sys
import time


def http_get(port, path):
    with socket.create_connection(("127.0.0.1", port)) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    return data.decode("utf-8", "replace")


def cpu_seconds(pid):
    """User + system CPU time of a process, from /proc (Linux)."""
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main():
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[3], file=sys.stderr)
        return 2
    binary, site = sys.argv[1], pathlib.Path(sys.argv[2]).resolve()
    edits = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    # A published playbook, so the search index holds it and each edit updates the index.
    page = site / "content/playbooks/online-record-access.md"
    url = "/playbooks/online-record-access/"
    index = "/search/index/"
    if len(sys.argv) > 6:
        page, url, index = site / sys.argv[4], sys.argv[5], sys.argv[6]
    original = page.read_text(encoding="utf-8")
    started = time.monotonic()
    server = subprocess.Popen([binary, "serve", "--root", str(site), "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        lines = []
        while port is None:
            line = server.stdout.readline()
            if not line:
                raise SystemExit("serve stopped")
            lines.append(line.rstrip())
            if m := re.search(r"http://127\.0\.0\.1:(\d+)/", line):
                port = int(m.group(1))
        print(f"first build and start: {time.monotonic() - started:.1f} s")
        events = socket.create_connection(("127.0.0.1", port))
        events.sendall(b"GET /__playbook/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        buffer = b""
        while b"event: hello" not in buffer:
            buffer += events.recv(4096)
        to_reload, to_page = [], []
        build_id = re.search(r'"build":"(\w+)"', http_get(port, index + "manifest.json"))
        cpu_before = cpu_seconds(server.pid)
        for n in range(edits):
            marker = f"Edit number {n} of the latency run: latencyprobe{n}."
            text = original.replace("## ", f"{marker}\n\n## ", 1)
            temporary = page.with_name(f".{page.name}.tmp")
            buffer = b""
            t0 = time.monotonic()
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, page)
            while b"event: reload" not in buffer:
                buffer += events.recv(4096)
            t1 = time.monotonic()
            body = http_get(port, url)
            t2 = time.monotonic()
            if marker not in body:
                raise SystemExit(f"edit {n}: the page does not hold the edit")
            now = re.search(r'"build":"(\w+)"', http_get(port, index + "manifest.json"))
            if not now or (build_id and now.group(1) == build_id.group(1)):
                raise SystemExit(f"edit {n}: the search index did not change")
            build_id = now
            to_reload.append((t1 - t0) * 1000)
            to_page.append((t2 - t0) * 1000)
            time.sleep(0.3)
        cpu = (cpu_seconds(server.pid) - cpu_before) / edits * 1000
        print(f"CPU time serve spent per edit (rebuild, events, page fetch): {cpu:.0f} ms")
        print(f"save -> reload event: median {statistics.median(to_reload):.0f} ms, worst {max(to_reload):.0f} ms")
        print(f"save -> new page fetched: median {statistics.median(to_page):.0f} ms, worst {max(to_page):.0f} ms")
        server.terminate()
        rest = server.stdout.read().splitlines()
        rebuilds = [l for l in lines + rest if "rebuilt in" in l]
        times = [int(m.group(1)) for l in rebuilds if (m := re.search(r"rebuilt in (\d+) ms", l))]
        if times:
            print(f"serve's rebuild times: median {statistics.median(times):.0f} ms, worst {max(times)} ms")
            print("e.g. " + rebuilds[-1])
    finally:
        server.kill()
        page.write_text(original, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
