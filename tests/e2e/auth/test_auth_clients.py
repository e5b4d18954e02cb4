"""End to end over real HTTP with the official PyPI client `woocommerce` (OAuth over http, Basic
over https with the harness's self-signed certificate) and requests-oauthlib/oauthlib as an
independent signer (query and Authorization header, HMAC-SHA1 and HMAC-SHA256), plus the nonce
race through oauthlib. Run by tests/e2e/run.sh with KEYSMITH_E2E_KEYS and the harness env."""

import json
import os
import time
import unittest
import uuid
from concurrent.futures import ThreadPoolExecutor

import requests
from oauthlib import oauth1
from requests_oauthlib import OAuth1
from woocommerce import API

KEYS = json.loads(os.environ["KEYSMITH_E2E_KEYS"])
SITE = os.environ["KEYSMITH_SITE_URL"]
SITE_TLS = os.environ["KEYSMITH_SITE_URL_TLS"]
SITE_2 = os.environ["KEYSMITH_SITE_URL_2"]
CERT = os.environ["KEYSMITH_TLS_CERT"]
ROUTE = "/wp-json/wc/v3/keysmith-test"


def api(key, url=SITE, **kw):
    return API(url=url, consumer_key=key["ck"], consumer_secret=key["cs"], version="wc/v3", timeout=20, **kw)


class OfficialClient(unittest.TestCase):
    def test_oauth_over_http(self):
        r = api(KEYS["rw"]).get("keysmith-test", params={"per_page": 3, "search": "a b+c"})
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json(), {"user_id": KEYS["user_id"], "method": "GET"})
        r = api(KEYS["rw"]).post("keysmith-test", {"name": "x"})
        self.assertEqual(r.status_code, 200, r.text)

    def test_basic_over_https_with_self_signed_cert(self):
        r = requests.get(SITE_TLS + ROUTE, auth=(KEYS["rw"]["ck"], KEYS["rw"]["cs"]), verify=CERT, timeout=20)
        self.assertEqual(r.status_code, 200, r.text)
        r = api(KEYS["rw"], url=SITE_TLS, verify_ssl=CERT).get("keysmith-test")
        self.assertEqual(r.status_code, 200, r.text)
        self.assertEqual(r.json()["user_id"], KEYS["user_id"])

    def test_basic_refusals(self):
        r = api({"ck": KEYS["rw"]["ck"], "cs": "cs_wrong"}, url=SITE_TLS, verify_ssl=CERT).get("keysmith-test")
        self.assertEqual((r.status_code, r.json()["message"]), (401, "Consumer secret is invalid."))
        r = api(KEYS["expired"], url=SITE_TLS, verify_ssl=CERT).get("keysmith-test")
        self.assertEqual((r.status_code, r.json()["code"]), (401, "keysmith_rest_key_expired"))
        r = api(KEYS["read"], url=SITE_TLS, verify_ssl=CERT).delete("keysmith-test")
        self.assertEqual((r.status_code, r.json()["message"]), (401, "The API key provided does not have write permissions."))


class OauthlibSigner(unittest.TestCase):
    def run_signed(self, sig_type, method):
        auth = OAuth1(KEYS["rw"]["ck"], KEYS["rw"]["cs"], signature_method=method, signature_type=sig_type)
        return requests.get(SITE + ROUTE, params={"filter[period]": "week", "q": "ü ~*"}, auth=auth, timeout=20)

    def test_header_and_query_sha1_and_sha256(self):
        for sig_type in (oauth1.SIGNATURE_TYPE_AUTH_HEADER, oauth1.SIGNATURE_TYPE_QUERY):
            for method in (oauth1.SIGNATURE_HMAC_SHA1, oauth1.SIGNATURE_HMAC_SHA256):
                r = self.run_signed(sig_type, method)
                self.assertEqual(r.status_code, 200, f"{sig_type} {method}: {r.text}")

    def test_form_body_is_signed(self):
        auth = OAuth1(KEYS["rw"]["ck"], KEYS["rw"]["cs"], signature_method=oauth1.SIGNATURE_HMAC_SHA256)
        r = requests.post(SITE + ROUTE, data={"name": "a b", "note": "x+y"}, auth=auth, timeout=20)
        self.assertEqual(r.status_code, 200, r.text)

    def test_replay_refused(self):
        client = oauth1.Client(KEYS["rw"]["ck"], client_secret=KEYS["rw"]["cs"], signature_method=oauth1.SIGNATURE_HMAC_SHA256,
                               signature_type=oauth1.SIGNATURE_TYPE_QUERY)
        url, _, _ = client.sign(SITE + ROUTE)
        self.assertEqual(requests.get(url, timeout=20).status_code, 200)
        r = requests.get(url, timeout=20)
        self.assertEqual((r.status_code, r.json()["message"]), (401, "Invalid nonce - nonce has already been used."))

    def race(self, bases):
        nonce, ts = uuid.uuid4().hex, str(int(time.time()))
        urls = []
        for base in bases:
            client = oauth1.Client(KEYS["rw"]["ck"], client_secret=KEYS["rw"]["cs"], signature_method=oauth1.SIGNATURE_HMAC_SHA1,
                                   signature_type=oauth1.SIGNATURE_TYPE_QUERY, nonce=nonce, timestamp=ts)
            urls.append(client.sign(base + ROUTE)[0])
        with ThreadPoolExecutor(max_workers=20) as pool:
            codes = list(pool.map(lambda i: requests.get(urls[i % len(urls)], timeout=30).status_code, range(20)))
        return codes.count(200), codes.count(401)

    def test_nonce_race_one_server(self):
        self.assertEqual(self.race([SITE]), (1, 19))

    def test_nonce_race_two_servers(self):
        self.assertEqual(self.race([SITE, SITE_2]), (1, 19))


if __name__ == "__main__":
    unittest.main(verbosity=2)
