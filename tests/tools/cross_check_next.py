#!/usr/bin/env python3
"""Random differential test: `digger-scan next` against cron_daemon_sim.py (cronie's loop).

Draws random expressions and start times close to DST transitions in zones with hour and
half-hour shifts and midnight jumps, and compares every fire time inside a 20-day window.
Usage: cross_check_next.py path/to/digger-scan [cases] [seed]
"""
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import cron_daemon_sim as sim

ZONES = {
    "Europe/Berlin": ["2024-03-31T00:00", "2024-10-27T00:00"],
    "America/New_York": ["2024-03-10T06:00", "2024-11-03T05:00"],
    "Australia/Lord_Howe": ["2024-04-06T14:00", "2024-10-05T15:00"],
    "America/Sao_Paulo": ["2018-11-04T02:00", "2019-02-17T01:00"],
    "UTC": ["2024-02-28T00:00"],
}


def field(rng, low, high, names=None):
    kind = rng.randrange(7)
    a, b = sorted(rng.sample(range(low, high + 1), 2))
    if kind == 0:
        return "*"
    if kind == 1:
        return f"*/{rng.randint(2, max(2, (high - low) // 2))}"
    if kind == 2:
        return str(a)
    if kind == 3:
        return f"{a}-{b}"
    if kind == 4:
        return f"{a}-{b}/{rng.randint(2, 5)}"
    if kind == 5:
        return ",".join(str(v) for v in sorted(rng.sample(range(low, high + 1), 3)))
    return f"{b}-{a}" if rng.random() < 0.1 else str(b)


def expression(rng):
    if rng.random() < 0.1:
        return rng.choice(list(sim.MACROS))
    hour = field(rng, 0, 23) if rng.random() < 0.5 else rng.choice(["1", "2", "3", "0-3", "*"])
    return " ".join([field(rng, 0, 59), hour, field(rng, 1, 31), field(rng, 1, 12) if
                     rng.random() < 0.2 else "*", field(rng, 0, 7)])


def main():
    binary = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 1)
    window = timedelta(days=8)
    failures = 0
    for _ in range(cases):
        zone = rng.choice(list(ZONES))
        start = datetime.fromisoformat(rng.choice(ZONES[zone])) - timedelta(
            minutes=rng.randrange(0, 3 * 24 * 60))
        start_utc = start.replace(tzinfo=timezone.utc)
        expr = expression(rng)
        expected = [t for t in sim.simulate(expr, start_utc, zone, 40, window)
                    if datetime.fromisoformat(t) <= start_utc + window]
        out = subprocess.run([binary, "next", expr, "--from", start.isoformat() + "Z", "--tz", zone,
                              "--count", str(len(expected) + 1), "--format", "json"],
                             capture_output=True, text=True, check=True)
        got = json.loads(out.stdout)["next"]
        beyond = got[len(expected):]
        ok = got[:len(expected)] == expected and all(
            datetime.fromisoformat(t) > start_utc + window or len(expected) == 40 for t in beyond)
        if not ok:
            failures += 1
            print(f"MISMATCH {expr!r} from {start_utc} in {zone}\n  sim: {expected[:8]}\n"
                  f"  got: {got[:8]}")
    print(f"{cases - failures}/{cases} cases agree")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
