#!/usr/bin/env python3
"""Fetch the pages of the project's own labelled corpus into a cache, from their provenance.

    bench/corpus_fetch.py LABELS CACHE

LABELS is bench/corpus/labels.jsonl: one labelled page a line, with `file` (its place in the
cache) and `source`, either {"kind": "github", "repo", "path", "commit"} (fetched from
raw.githubusercontent.com at that commit) or {"kind": "pypi", "package", "path"} (the file inside
the package's source distribution, fetched with pip). The repository keeps only provenance and
labels, never the pages: their licences do not all allow copying. Pages already in the cache are
not fetched again; what cannot be fetched (no network) is reported and left out of the scores.
"""
import json
import pathlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
import urllib.parse
import urllib.request


def fetch_github(src, dest):
    commit = src.get("commit") or "HEAD"
    path = urllib.parse.quote(src["path"])
    url = f"https://raw.githubusercontent.com/{src['repo']}/{commit}/{path}"
    with urllib.request.urlopen(url, timeout=30) as r:
        dest.write_bytes(r.read())


def fetch_pypi(package, wanted, cache):
    """Unpack the files `wanted` ({path in sdist: cache file}) of one sdist."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
             "-q", "-d", tmp, package],
            check=True, timeout=300)
        archive = next(pathlib.Path(tmp).glob("*.tar.gz"))
        with tarfile.open(archive) as tar:
            for member in tar.getmembers():
                inner = member.name.split("/", 1)[-1]
                if inner in wanted:
                    dest = cache / wanted[inner]
                    dest.parent.mkdir(parents=True, exist_ok=True)
                    with tar.extractfile(member) as f, open(dest, "wb") as out:
                        shutil.copyfileobj(f, out)


def main():
    labels, cache = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    cache.mkdir(parents=True, exist_ok=True)
    pypi = {}
    failed = 0
    for line in labels.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        label = json.loads(line)
        dest = cache / label["file"]
        if dest.exists():
            continue
        src = label["source"]
        if src["kind"] == "pypi":
            pypi.setdefault(src["package"], {})[src["path"]] = label["file"]
            continue
        dest.parent.mkdir(parents=True, exist_ok=True)
        try:
            fetch_github(src, dest)
        except Exception as e:  # no network, or the file moved: scored without it
            failed += 1
            print(f"corpus: {label['id']}: not fetched ({e})", file=sys.stderr)
    for package, wanted in pypi.items():
        try:
            fetch_pypi(package, wanted, cache)
        except Exception as e:
            failed += len(wanted)
            print(f"corpus: {package}: not fetched ({e})", file=sys.stderr)
    if failed:
        print(f"corpus: {failed} pages missing from {cache}", file=sys.stderr)


if __name__ == "__main__":
    main()
