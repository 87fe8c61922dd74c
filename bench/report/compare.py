#!/usr/bin/env python3
"""Checks that hrsurvey's scorecards agree with sqlite3's GROUP BY on the same data.

Usage: compare.py LABEL HRSURVEY.json|HRSURVEY.csv GROUPBY.txt [GROUPBY.txt...]

Each GROUPBY file holds sqlite3 output lines `staff|dimension|n|mean` (per staff and
dimension over the same period). For every staff member and dimension: where the
GROUP BY counts at least the anonymity threshold, hrsurvey must show the same n and the
same mean (to 1e-9 in JSON, to the 4 decimals CSV prints); where it counts fewer,
hrsurvey must show no figures. Reads only the fields it compares, so that scorecards may
carry more (ci95, csat, ...). Exits 1 and names the first differences otherwise.
"""

import csv
import json
import sys


def read_groupby(path):
    cells = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            staff, dimension, n, mean = line.split("|")
            cells[(staff, dimension)] = (int(n), float(mean))
    return cells


def read_json(path):
    """Returns ({(staff, dimension): (n, mean) or None if suppressed}, threshold)."""
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    cells = {}
    for card in doc["staff"]:
        for dimension, fig in (card.get("dimensions") or {}).items():
            n = fig.get("n")
            shown = n is not None and not fig.get("suppressed", False)
            cells[(card["id"], dimension)] = (n, fig.get("mean")) if shown else None
    return cells, int(doc.get("anonymity_threshold", 5)), 1e-9


def read_csv(path):
    cells = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            key = (row["staff_id"], row["dimension"])
            cells[key] = (int(row["n"]), float(row["mean"])) if row["n"] else None
    # The CSV does not name the threshold; the server's default applies.
    return cells, 5, 0.5e-4 + 1e-9


def main(argv):
    if len(argv) < 4:
        sys.exit(__doc__)
    label, served = argv[1], argv[2]
    cells, threshold, tolerance = read_csv(served) if served.endswith(".csv") else read_json(served)
    threshold = max(threshold, 3)
    problems = []
    compared = suppressed = 0
    for path in argv[3:]:
        expected = read_groupby(path)
        if not expected:
            problems.append(f"{path}: the GROUP BY returned no rows")
        for key, (n, mean) in sorted(expected.items()):
            got = cells.get(key, "missing")
            if n >= threshold:
                if got is None or got == "missing":
                    problems.append(f"{key}: GROUP BY n={n} mean={mean:.6f}, hrsurvey {got or 'suppressed'}")
                elif got[0] != n or abs(got[1] - mean) > tolerance:
                    problems.append(f"{key}: GROUP BY n={n} mean={mean:.6f}, hrsurvey n={got[0]} mean={got[1]}")
                else:
                    compared += 1
            elif got not in (None, "missing"):
                problems.append(f"{key}: GROUP BY n={n} (under {threshold}), hrsurvey shows {got}")
            else:
                suppressed += 1
        # Figures hrsurvey shows that the GROUP BY has no rows for.
        for key, got in sorted(cells.items()):
            if got is not None and key not in expected:
                problems.append(f"{key}: hrsurvey n={got[0]}, not in {path}")
    if problems:
        print(f"compare.py: {label}: hrsurvey and the GROUP BY DISAGREE:", file=sys.stderr)
        for p in problems[:20]:
            print(f"  {p}", file=sys.stderr)
        if len(problems) > 20:
            print(f"  ... and {len(problems) - 20} more", file=sys.stderr)
        return 1
    files = len(argv) - 3
    print(f"{label}: {compared // files} staff x dimension figures equal in n and mean"
          f" ({suppressed // files} below the threshold, hidden by both), against {files} GROUP BY(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
