#!/usr/bin/env python3
"""check-report.py [--allow-zero] DIR... — a quick-mode scenario report's
numbers are the run's own: for every measured platform, each series' mean
is recomputed from the bench report's samples (3 rounds, warm-up excluded),
must equal the summary's mean and must appear in report.md's table row
("| PLATFORM | SERIES | 3 | MEAN ").  Samples must be positive, or
non-negative with --allow-zero (CPU load of an idle process).  At least two
platforms must have been measured.  Exits non-zero with the reason."""
import json
import os
import sys

args = sys.argv[1:]
allow_zero = "--allow-zero" in args
dirs = [a for a in args if a != "--allow-zero"]
for d in dirs:
    md = open(os.path.join(d, "report.md")).read()
    summ = json.load(open(os.path.join(d, "summary.json")))
    measured = [p for p in summ["platforms"] if "report" in p]
    assert len(measured) >= 2, (d, "fewer than 2 platforms measured")
    for p in measured:
        rep = json.load(open(p["report"]))
        assert rep["rounds"] == 3, (d, rep["rounds"])
        for s in rep["series"]:
            vals = [x["value"] for x in s["samples"] if not x["warmup"]]
            assert len(vals) == 3, (d, p["platform"], s["name"], vals)
            assert all(v >= 0 if allow_zero else v > 0 for v in vals), (d, p["platform"], vals)
            mean = sum(vals) / len(vals)
            assert abs(mean - s["summary"]["mean"]) <= 1e-9 * max(1, abs(mean)), (mean, s["summary"])
            cell = "| %s | %s | 3 | %s " % (p["platform"], s["name"], "%.6g" % mean)
            assert cell in md, (cell, d)
print("ok")
