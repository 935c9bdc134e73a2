#!/usr/bin/env python3
"""Independent check of next_fire_time: simulates cronie's main loop (cron.c) minute by minute.

It shares no code with Digger: its own field parser, Python's zoneinfo for offsets, and the
daemon's time-jump classification (timeDiff small/medium/negative/large) copied from cron.c's
logic. Slow on purpose (one step per real minute). Usage:

    cron_daemon_sim.py 'EXPR' FROM_UTC TZ COUNT      e.g. '30 2 * * *' 2024-03-30T00:00 Europe/Berlin 3

Prints the fire times as ISO 8601 local times with offsets, one per line (duplicates merged).
"""
import sys
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

NAMES = {
    3: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
    4: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"],
}
RANGES = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 7)]
MACROS = {  # fields, minute_star, hour_star, dom_star, dow_star
    "@yearly": ("0 0 1 1 *", False, False, False, True),
    "@annually": ("0 0 1 1 *", False, False, False, True),
    "@monthly": ("0 0 1 * *", False, False, False, True),
    "@weekly": ("0 0 * * 0", False, False, True, False),
    "@daily": ("0 0 * * *", False, False, False, False),
    "@midnight": ("0 0 * * *", False, False, False, False),
    "@hourly": ("0 * * * *", False, True, False, False),
}


def number(text, index):
    if text.isdigit():
        return int(text)
    offset = 1 if index == 3 else 0
    return NAMES[index].index(text.lower()) + offset


def parse_field(text, index):
    low, high = RANGES[index]
    values = set()
    for item in text.split(","):
        step = 1
        if "/" in item:
            item, step_text = item.split("/")
            step = int(step_text)
        if item == "*":
            first, last = low, high
        elif "-" in item:
            a, b = item.split("-")
            first, last = number(a, index), number(b, index)
            if index == 4 and last == 0 and first > 0:
                last = 7
        else:
            first = last = number(item, index)
        values.update(range(first, last + 1, step))
    if index == 4 and (0 in values or 7 in values):
        values.update({0, 7})
    return values


def parse(expr):
    if expr.startswith("@"):
        fields, *stars = MACROS[expr]
    else:
        fields, stars = expr, None
    parts = fields.split()
    sets = [parse_field(p, i) for i, p in enumerate(parts)]
    if stars is None:
        stars = [parts[0][0] == "*", parts[1][0] == "*", parts[2][0] == "*", parts[4][0] == "*"]
    return sets, stars


def matches(job, wall):
    (mins, hours, doms, months, dows), (_, _, dom_star, dow_star) = job
    dow = (wall.weekday() + 1) % 7  # Python: Monday=0; cron: Sunday=0
    dom_ok, dow_ok = wall.day in doms, dow in dows
    day_ok = (dom_ok and dow_ok) if (dom_star or dow_star) else (dom_ok or dow_ok)
    return wall.minute in mins and wall.hour in hours and wall.month in months and day_ok


def simulate(expr, start_utc, tz_name, count, span=timedelta(days=3 * 366)):
    job = parse(expr)
    wildcard = job[1][0] or job[1][1]
    zone = ZoneInfo(tz_name)
    epoch = datetime(1970, 1, 1)

    def clock_minutes(instant):  # cron's clockTime: wall clock in minutes since the epoch
        off = instant.astimezone(zone).utcoffset()
        return int((instant.replace(tzinfo=None) + off - epoch).total_seconds() // 60)

    def wall_of(vtime):
        return epoch + timedelta(minutes=vtime)

    fires = []

    def find_jobs(vtime, now, do_wild, do_fixed):
        if matches(job, wall_of(vtime)) and ((do_fixed and not wildcard) or (do_wild and wildcard)):
            local = now.astimezone(zone)
            text = local.isoformat()
            if not fires or fires[-1] != text:
                fires.append(text)

    now = start_utc
    virtual = clock_minutes(now)
    while len(fires) < count:
        now += timedelta(minutes=1)
        running = clock_minutes(now)
        diff = running - virtual
        if diff == 1:
            virtual = running
            find_jobs(virtual, now, True, True)
        elif diff > 180 or diff < -180:
            virtual = running
            find_jobs(running, now, True, True)
        elif diff > 5:
            find_jobs(running, now, True, False)
            while virtual < running:
                virtual += 1
                find_jobs(virtual, now, False, True)
        elif diff > 0:
            while virtual < running:
                virtual += 1
                find_jobs(virtual, now, True, True)
        else:
            find_jobs(running, now, True, False)
        if now - start_utc > span:
            break
    return fires[:count]


if __name__ == "__main__":
    expr, start, tz_name, count = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    start_utc = datetime.fromisoformat(start).replace(tzinfo=timezone.utc)
    for line in simulate(expr, start_utc, tz_name, count):
        print(line)
