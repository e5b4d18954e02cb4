"""Nonce race for tests/bench/auth.sh: 10 rounds of 20 simultaneous requests carrying one nonce,
split across the two harness servers (two PHP-FPM pools, one database). Prints one JSON line with
the number of successes per round: exactly-once means 1 every time.
Usage: auth-race.py <mode> <consumer_key> <consumer_secret>"""
import collections
import json
import os
import sys
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from oauthlib import oauth1

mode, ck, cs = sys.argv[1:4]
bases = (os.environ["KEYSMITH_SITE_URL"], os.environ["KEYSMITH_SITE_URL_2"])
successes = []
outcomes = collections.Counter()
with ThreadPoolExecutor(20) as pool:
    for _ in range(10):
        nonce, ts = uuid.uuid4().hex, str(int(time.time()))
        urls = [oauth1.Client(ck, client_secret=cs, signature_method=oauth1.SIGNATURE_HMAC_SHA1,
                              signature_type=oauth1.SIGNATURE_TYPE_QUERY, nonce=nonce, timestamp=ts)
                .sign(base + "/wp-json/wc/v3/keysmith-test")[0] for base in bases]
        answers = list(pool.map(lambda i: requests.get(urls[i % 2], headers={"X-Keysmith-Bench": mode}, timeout=30), range(20)))
        successes.append(sum(1 for a in answers if a.status_code == 200))
        outcomes.update(f"{a.status_code} {a.json().get('message', 'ok')}" for a in answers)
print(json.dumps({"mode": mode, "rounds": len(successes), "successes_per_round": successes,
                  "replays_accepted": sum(s - 1 for s in successes if s > 1), "outcomes": dict(outcomes)}))
