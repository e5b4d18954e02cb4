"""Aggregates the rounds of tests/bench/auth.sh (medians of throughput and latency, sums of errors,
means of statement counts), writes target/bench/auth.json and prints the table."""
import json
import os
import platform
import statistics
import sys

work, out, modes = sys.argv[1], sys.argv[2], sys.argv[3:]
KINDS = ("basic_wrk", "basic_sequential", "oauth_sequential", "oauth_concurrent")


def aggregate(rows):
    med = lambda k: round(statistics.median(r[k] for r in rows), 2)
    mean = lambda k: round(statistics.mean(r.get(k, -1) for r in rows), 2)
    return {
        "tool": rows[0].get("tool", "node"), "rounds": len(rows), "requests": sum(r["requests"] for r in rows),
        "errors": sum(r["errors"] for r in rows), "rps": med("rps"), "p50_ms": med("p50_ms"), "p99_ms": med("p99_ms"),
        "auth_p50_us": round(statistics.median(r.get("auth_p50_us", -1) for r in rows)),
        "auth_p99_us": round(statistics.median(r.get("auth_p99_us", -1) for r in rows)),
        "queries_per_request": mean("queries_per_request"), "writes_per_request": mean("writes_per_request"),
        "rows_written_per_request": mean("rows_written_per_request"),
        "max_writes_per_request": max(r.get("max_writes", r.get("writes_per_request", -1)) for r in rows),
        "concurrency": rows[0].get("concurrency", None), "crypto": rows[0]["crypto"], "per_round": rows,
    }


result = {"benchmark": "auth", "endpoint": "GET /wp-json/wc/v3/keysmith-test", "host": platform.node(),
          "cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg(), "modes": {}}
for mode in modes:
    result["modes"][mode] = {}
    for kind in KINDS:
        with open(os.path.join(work, f"{mode}.{kind}")) as fh:
            result["modes"][mode][kind] = aggregate([json.loads(line) for line in fh if line.strip()])
with open(os.path.join(work, "verify.json")) as fh:
    result["verify_in_process"] = json.load(fh)
with open(os.path.join(work, "races")) as fh:
    result["nonce_race"] = {r["mode"]: r for r in (json.loads(line) for line in fh if line.strip())}
window_rows = [json.loads(line) for line in open(os.path.join(work, "nonce_window")) if line.strip()]
result["nonce_window"] = {}
for row in window_rows:
    result["nonce_window"].setdefault(f"{row['mode']}:{row['recorded']}", []).append(row)
result["nonce_window"] = {spec: {"mode": rows[0]["mode"], "recorded": rows[0]["recorded"], **aggregate(rows)}
                          for spec, rows in result["nonce_window"].items()}
for spec, m in result["nonce_window"].items():
    empty = result["nonce_window"][f"{m['mode']}:0"]["auth_p50_us"]
    m["auth_vs_empty"] = round(m["auth_p50_us"] / empty, 3) if empty > 0 else None
result["nonce_window_target"] = {"native_100000_vs_0": result["nonce_window"]["native:100000"]["auth_vs_empty"], "limit": 1.10}
result["errors_total"] = sum(m[k]["errors"] for m in result["modes"].values() for k in KINDS) + sum(
    m["errors"] for m in result["nonce_window"].values())
with open(out, "w") as fh:
    json.dump(result, fh, indent=2)

print(f"{'mode':<12}{'load':<15}{'req/s':>8}{'p50 ms':>8}{'p99 ms':>8}{'errors':>7}{'auth us':>8}{'queries':>8}{'writes':>7}{'rows':>6}  crypto")
for mode in modes:
    for kind in KINDS:
        m = result["modes"][mode][kind]
        label = {"basic_wrk": f"basic wrk c{os.environ.get('KEYSMITH_BENCH_CONNECTIONS', 8)}", "basic_sequential": "basic c1",
                 "oauth_sequential": "oauth c1", "oauth_concurrent": f"oauth c{m['concurrency']}"}[kind]
        extra = "" if kind == "basic_wrk" else f"{m['auth_p50_us']:>8}{m['queries_per_request']:>8}{m['writes_per_request']:>7}{m['rows_written_per_request']:>6}  {m['crypto']}"
        print(f"{mode:<12}{label:<15}{m['rps']:>8}{m['p50_ms']:>8}{m['p99_ms']:>8}{m['errors']:>7}{extra}")
v = result["verify_in_process"]
print(f"\nin-process, per call: oauth_verify native {v.get('native_oauth_verify_us')} us vs twin {v['twin_oauth_verify_us']} us; "
      f"api_hash native {v.get('native_api_hash_us')} us vs twin {v['twin_api_hash_us']} us")
for mode, race in result["nonce_race"].items():
    print(f"nonce race ({mode}): successes per 20 simultaneous requests with one nonce: {race['successes_per_round']}")
print(f"\nnonce check vs nonces already recorded for the key (oauth c1, server-side auth time):")
print(f"{'mode':<12}{'recorded':>9}{'auth p50 us':>12}{'vs empty':>9}{'p50 ms':>8}{'writes':>7}{'rows':>6}")
for spec, m in result["nonce_window"].items():
    print(f"{m['mode']:<12}{m['recorded']:>9}{m['auth_p50_us']:>12}{m['auth_vs_empty']:>9}{m['p50_ms']:>8}{m['writes_per_request']:>7}{m['rows_written_per_request']:>6}")
t = result["nonce_window_target"]
print(f"target: native with 100,000 recorded within {t['limit']}x of empty: {t['native_100000_vs_0']}x {'OK' if t['native_100000_vs_0'] <= t['limit'] else 'MISSED'}")
print(f"errors: {result['errors_total']}; wrote {out}")
sys.exit(1 if result["errors_total"] else 0)
