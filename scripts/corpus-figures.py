#!/usr/bin/env python3
"""Figures of a first run on real repositories, per corpus and in all:
documents by status, input errors, active findings, findings per container
(median and mean, over containers with findings), the share of duplicate-object
findings, and the scorecard (score, assessed items, band).

    python3 scripts/corpus-figures.py [--kubeward BIN] [DIR ...]

DIR defaults to every corpus under ../shared/corpora, each scanned on its own,
then all together. BIN defaults to target/release/kubeward.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
from collections import Counter


def scan(binary, path):
    out = subprocess.run([binary, "scan", "--format", "json", path], capture_output=True, check=False)
    if out.returncode not in (0, 1):
        sys.exit(f"{binary} scan {path} failed: {out.stderr.decode()}")
    return json.loads(out.stdout)


def figures(report):
    active = [f for f in report["findings"] if not f.get("suppressed")]
    per_container = Counter(
        (f["file"], f["document"], f.get("item"), f["container"]) for f in active if f.get("container")
    )
    counts = list(per_container.values()) or [0]
    card = report["scorecard"]
    duplicates = sum(1 for f in active if f["check"] == "duplicate-object")
    return {
        "documents": report["summary"]["documents"],
        "errors": len(report["errors"]),
        "findings": len(active),
        "per container median": statistics.median(counts),
        "per container mean": round(statistics.mean(counts), 1),
        "duplicate-object share %": round(100 * duplicates / max(1, len(active)), 1),
        "score": f'{card["score"]}/{card["outOf"]}',
        "assessed": card.get("assessed", 50 - card["notAssessed"]),
        "band": card["band"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kubeward", default="target/release/kubeward")
    parser.add_argument("dirs", nargs="*")
    args = parser.parse_args()
    dirs = args.dirs
    if not dirs:
        root = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpora")
        dirs = sorted(os.path.join(root, d) for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
        dirs.append(root)
    for path in dirs:
        name = os.path.basename(os.path.normpath(path))
        print(json.dumps({"corpus": name, **figures(scan(args.kubeward, path))}))


if __name__ == "__main__":
    main()
