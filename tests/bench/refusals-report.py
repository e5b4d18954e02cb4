"""Aggregates tests/bench/refusals.sh's rounds (medians of per-round p50), checks the targets, writes
target/bench/refusals.json and prints the table."""
import json
import os
import platform
import statistics
import sys

rounds_file, out = sys.argv[1], sys.argv[2]
rows = [json.loads(line) for line in open(rounds_file) if line.strip()]
cells = {}
for row in rows:
    cells.setdefault((row["kind"], row["mode"]), []).append(row)
table = {f"{kind}:{mode}": {"kind": kind, "mode": mode, "rounds": len(rs), "errors": sum(r["errors"] for r in rs),
                            "p50_ms": round(statistics.median(r["p50_ms"] for r in rs), 2),
                            "p90_ms": round(statistics.median(r["p90_ms"] for r in rs), 2)}
         for (kind, mode), rs in cells.items()}
p50 = lambda kind, mode: table[f"{kind}:{mode}"]["p50_ms"]
targets = []
for kind in ("unknown", "secret"):
    for mode in ("native", "twin"):
        targets.append({"what": f"{kind} refused, {mode} vs WooCommerce", "ratio": round(p50(kind, mode) / p50(kind, "woocommerce"), 3), "limit": 0.35})
for mode in ("native", "twin"):
    targets.append({"what": f"throttled, {mode} vs WooCommerce's refusal", "ratio": round(p50("throttled", mode) / p50("unknown", "woocommerce"), 3), "limit": 0.25})
targets.append({"what": "accepted, native with early refusals vs without", "ratio": round(p50("accepted", "native") / p50("accepted", "late"), 3), "limit": 1.05})
for t in targets:
    t["met"] = t["ratio"] <= t["limit"]
result = {"benchmark": "refusals", "host": platform.node(), "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(),
          "cells": table, "targets": targets, "errors_total": sum(c["errors"] for c in table.values())}
with open(out, "w") as fh:
    json.dump(result, fh, indent=2)

print(f"{'kind':<11}" + "".join(f"{m:>13}" for m in ("woocommerce", "native", "twin", "late")) + "   (p50 ms, one request at a time)")
for kind in ("unknown", "secret", "throttled", "accepted"):
    print(f"{kind:<11}" + "".join(f"{table[f'{kind}:{m}']['p50_ms'] if f'{kind}:{m}' in table else '-':>13}" for m in ("woocommerce", "native", "twin", "late")))
for t in targets:
    print(f"{t['what']:<52} {t['ratio']:>6}  (<= {t['limit']})  {'OK' if t['met'] else 'MISSED'}")
print(f"errors: {result['errors_total']}; wrote {out}")
sys.exit(1 if result["errors_total"] else 0)
