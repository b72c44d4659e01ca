#!/usr/bin/python3
"""Drives the Proxy API's session set-up as a Proxy user's code does it: POST .../Sessions,
then two POST .../Participants, one after another, with fresh identifiers every time.
Each of CONNS threads repeats that for SECONDS (loopback only; bounded in time); prints
"units/s p50_ms p99_ms failures" for the three-request unit.

    proxy-sessions.py BASE_URL SERVICE_SID CONNS SECONDS
"""
import base64
import json
import random
import sys
import threading
import time
import urllib.parse
import urllib.request

base, service, conns, seconds = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
auth = "Basic " + base64.b64encode(b"masked:masked").decode()
area_codes = ["415", "212", "312", "206", "617", "303", "512", "213", "305", "404"]


def post(path, form):
    request = urllib.request.Request(base + path, data=urllib.parse.urlencode(form).encode(),
                                     headers={"Authorization": auth}, method="POST")
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


durations, failures, lock = [], [0], threading.Lock()


def run(stop_at):
    rng = random.Random()
    while time.monotonic() < stop_at:
        began = time.monotonic()
        try:
            session = post(f"/v1/Services/{service}/Sessions", {"Ttl": "3600"})
            for _ in range(2):
                who = f"+1{rng.choice(area_codes)}555{rng.randint(1000, 9999)}"
                post(f"/v1/Services/{service}/Sessions/{session['sid']}/Participants",
                     {"Identifier": who})
        except Exception:  # noqa: BLE001 - counted, not fatal: a collision of random numbers
            with lock:
                failures[0] += 1
            continue
        with lock:
            durations.append(time.monotonic() - began)


stop_at = time.monotonic() + seconds
threads = [threading.Thread(target=run, args=(stop_at,)) for _ in range(conns)]
for t in threads:
    t.start()
for t in threads:
    t.join()
durations.sort()
n = len(durations)


def percentile(q):
    return durations[min(n - 1, int(q * n))] * 1000 if n else 0.0


print(f"{n / seconds:.1f} {percentile(0.5):.1f} {percentile(0.99):.1f} {failures[0]}")
