#!/usr/bin/env python3
"""Writes a site of N playbooks for measuring build and serve times.

Usage: bench/generate-corpus.py N OUT_DIR

The site is the bundled one (site.toml, guides, section indexes, the 9 bundled playbooks) plus
copies of the bundled playbooks, each with its own file name and title, until there are N
playbooks. Every copy passes `check`, so the corpus measures the real pipeline.
"""
import pathlib
import re
import shutil
import sys


def main() -> int:
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    total = int(sys.argv[1])
    out = pathlib.Path(sys.argv[2])
    repo = pathlib.Path(__file__).resolve().parent.parent
    if out.exists():
        shutil.rmtree(out)
    (out / "content").mkdir(parents=True)
    shutil.copy(repo / "site.toml", out / "site.toml")
    shutil.copytree(repo / "content", out / "content", dirs_exist_ok=True)

    playbooks = repo / "content" / "playbooks"
    originals = sorted(p for p in playbooks.glob("*.md") if p.name != "_index.md")
    bundles = sorted(p for p in playbooks.iterdir() if (p / "index.md").is_file())
    sources = [(p, None) for p in originals] + [(b / "index.md", b) for b in bundles]
    count = len(sources)
    i = 0
    while count < total:
        path, bundle = sources[i % len(sources)]
        i += 1
        text = path.read_text(encoding="utf-8")
        text = re.sub(r'^title: "(.*)"$', lambda m: f'title: "{m.group(1)} {i}"', text, count=1, flags=re.M)
        if bundle is None:
            target = out / "content" / "playbooks" / f"{path.stem}-{i}.md"
            target.write_text(text, encoding="utf-8")
        else:
            folder = out / "content" / "playbooks" / f"{bundle.name}-{i}"
            shutil.copytree(bundle, folder)
            (folder / "index.md").write_text(text, encoding="utf-8")
        count += 1
    print(f"{count} playbooks in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
