"""Turns wrk --latency output (stdin) into the JSON row tests/bench/auth.sh records."""
import json
import re
import sys

mode = sys.argv[1]
text = sys.stdin.read()


def ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s)", value).groups()
    return round(float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit], 2)


def latency(pct: str) -> float:
    return ms(re.search(rf"^\s*{pct}%\s+(\S+)", text, re.M).group(1))


requests = int(re.search(r"(\d+) requests in", text).group(1))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, socket.groups())) if socket else 0)
print(json.dumps({
    "mode": mode, "tool": "wrk", "requests": requests, "errors": errors,
    "rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1)), 1),
    "p50_ms": latency("50"), "p99_ms": latency("99"), "crypto": "",
}))
