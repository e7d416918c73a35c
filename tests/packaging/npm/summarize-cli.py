"""The CLI's JSON report (standard input) as the rows the npm tests compare:
{"version": ..., "findings": [[check, pointer, start line, start column, end line, end column], ...]}."""
import json
import sys

report = json.load(sys.stdin)
rows = [
    [f["check"], f["path"], f["range"]["start"]["line"], f["range"]["start"]["column"], f["range"]["end"]["line"], f["range"]["end"]["column"]]
    for f in report["findings"]
]
json.dump({"version": report["tool"]["version"], "findings": rows}, sys.stdout)
