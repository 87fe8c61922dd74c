#!/usr/bin/env python3
"""Reference figures for hrs::reports::summarize, computed independently in mpmath.

Usage: reference_statistics.py C1,C2,C3,C4,C5 [...]
Each argument is a histogram (the counts of the ratings 1..5). Prints a JSON array with
one object per histogram, in order: n, mean, sd, ci95, csat, csat_ci95 (intervals as
[low, high], or null when absent), following DESIGN.md "Reports: the statistics".

Deliberately shares nothing with the C++ code: 60 significant digits, the textbook
formulas (no cancellation worries at this precision), the t quantile found by solving
the Student t CDF written with the regularized incomplete beta function, and the normal
quantile from the inverse error function. Only mpmath (Debian python3-mpmath), no scipy.
"""

import json
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 60
CONFIDENCE = mpf("0.975")  # two-sided 95 %


def normal_quantile(p):
    return mpmath.sqrt(2) * mpmath.erfinv(2 * p - 1)


def t_cdf(t, nu):
    """P(T <= t) for t >= 0: 1 - I_x(nu/2, 1/2) / 2 with x = nu / (nu + t^2)."""
    x = nu / (nu + t * t)
    return 1 - mpmath.betainc(nu / 2, mpf(1) / 2, 0, x, regularized=True) / 2


def t_quantile(p, nu):
    nu = mpf(nu)
    if nu == 1:  # the Cauchy distribution, in closed form
        return mpmath.tan(mpmath.pi * (p - mpf(1) / 2))
    # The normal quantile is a close start for any nu >= 2; the t quantile lies above it.
    start = normal_quantile(p) * (1 + 1 / nu)
    return mpmath.findroot(lambda t: t_cdf(t, nu) - p, start, tol=mpf(10) ** -40)


def clamp(v, low, high):
    return max(low, min(high, v))


def summarize(counts):
    n = sum(counts)
    out = {"n": n, "mean": 0.0, "sd": 0.0, "ci95": None, "csat": 0.0, "csat_ci95": None}
    if n == 0:
        return out
    ratings = range(1, 6)
    mean = mpf(sum(c * r for c, r in zip(counts, ratings))) / n
    out["mean"] = float(mean)
    hits = counts[3] + counts[4]
    p = mpf(hits) / n
    out["csat"] = float(p)
    z = normal_quantile(CONFIDENCE)
    centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
    half = z / (1 + z**2 / n) * mpmath.sqrt(p * (1 - p) / n + z**2 / (4 * mpf(n) ** 2))
    out["csat_ci95"] = [float(clamp(centre - half, 0, 1)), float(clamp(centre + half, 0, 1))]
    if n < 2:
        return out
    sd = mpmath.sqrt(sum(c * (r - mean) ** 2 for c, r in zip(counts, ratings)) / (n - 1))
    out["sd"] = float(sd)
    half = t_quantile(CONFIDENCE, n - 1) * sd / mpmath.sqrt(n)
    out["ci95"] = [float(clamp(mean - half, 1, 5)), float(clamp(mean + half, 1, 5))]
    return out


def main(args):
    hists = []
    for a in args:
        counts = [int(x) for x in a.split(",")]
        if len(counts) != 5 or min(counts) < 0:
            sys.exit(f"not a histogram of five non-negative counts: {a}")
        hists.append(counts)
    json.dump([summarize(h) for h in hists], sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1:])
