#!/usr/bin/env python3
"""Page weight of the bundled site: builds it and prints, for every playbook page, the bytes of its
HTML and of the CSS and JavaScript it loads (uncompressed, images aside), then the median page.

    python3 bench/page-weight.py                 # builds with target/release/playbook
    python3 bench/page-weight.py --no-build DIR  # measures a site already built in DIR
    python3 bench/page-weight.py --budget 60000  # exits 1 when the median page weighs more

Every stylesheet a page links counts, the print one too (browsers fetch it on screen as well),
and so does every script it loads, at the size the build writes them (stylesheets minified).
"""
import argparse
import html.parser
import os
import statistics
import subprocess
import sys
import tempfile

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Assets(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js = [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.css.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])


def size(site, url):
    path = os.path.join(site, url.split("?")[0].split("#")[0].lstrip("/"))
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-build", metavar="DIR", help="measure the site already built in DIR")
    ap.add_argument("--binary", default=os.path.join(REPO, "target/release/playbook"))
    ap.add_argument("--section", default="playbooks", help="the section whose pages are measured")
    ap.add_argument("--budget", type=int, help="fail when the median page weighs more (bytes)")
    args = ap.parse_args()

    if args.no_build:
        site = args.no_build
    else:
        site = os.path.join(tempfile.mkdtemp(prefix="page-weight-"), "public")
        env = dict(os.environ, PLAYBOOK_TODAY=os.environ.get("PLAYBOOK_TODAY", "2026-11-22"))
        subprocess.run([args.binary, "--root", REPO, "build", "--output", site], check=True,
                       env=env, stdout=subprocess.DEVNULL)

    section = os.path.join(site, args.section)
    rows = []
    for slug in sorted(os.listdir(section)):
        page = os.path.join(section, slug, "index.html")
        if not os.path.isfile(page):
            continue
        with open(page, encoding="utf-8") as f:
            text = f.read()
        parser = Assets()
        parser.feed(text)
        html_bytes = len(text.encode("utf-8"))
        css = sum(size(site, u) for u in parser.css)
        js = sum(size(site, u) for u in parser.js)
        rows.append((slug, html_bytes, css, js, html_bytes + css + js))

    print(f"{'page':<46}{'HTML':>8}{'CSS':>8}{'JS':>8}{'total':>9}")
    for slug, h, c, j, t in rows:
        print(f"{'/' + args.section + '/' + slug + '/':<46}{h:>8}{c:>8}{j:>8}{t:>9}")
    median = sorted(rows, key=lambda r: r[4])[(len(rows) - 1) // 2]
    print(f"median page: /{args.section}/{median[0]}/  HTML {median[1]} + CSS {median[2]} + "
          f"JS {median[3]} = {median[4]} bytes ({median[4] / 1000:.1f} KB)")
    print(f"largest page: {max(r[4] for r in rows)} bytes; median HTML "
          f"{int(statistics.median(r[1] for r in rows))} bytes")
    if args.budget and median[4] > args.budget:
        print(f"over budget: {median[4]} > {args.budget}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
