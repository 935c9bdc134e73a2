"""The broken hosts a real fleet has, and the status a scanner must report for each.

Statuses: ok, partial, unreachable, timeout, hostkey-mismatch, auth-failed, permission-denied,
protocol-error. "permission-denied": the login worked but the privilege needed to read the
spool (sudo -n) was refused. "partial": the scanner had its privilege, yet some cron file or
directory could not be read completely (unreadable, truncated).
"""

from .cronfile import CronFile
from .distro import user_crontab as user_crontab_for

FAULTS = {
    "refused": ("unreachable", "connection refused: nothing listens on the address"),
    "tarpit": ("timeout", "TCP accepted, no SSH banner ever"),
    "stall": ("timeout", "SSH banner sent, then the key exchange never continues"),
    "hostkey": ("hostkey-mismatch", "the host key differs from the one in the lab's known_hosts"),
    "badkey": ("auth-failed", "the client key is not in authorized_keys"),
    "sudopw": ("permission-denied", "digger may sudo only with a password: sudo -n fails"),
    "nosudo": ("permission-denied", "digger is not in sudoers: sudo -n fails"),
    "unreadable": ("partial", "spool directory owned by nobody, mode 0700, and the host's root lacks "
                   "CAP_DAC_OVERRIDE/CAP_DAC_READ_SEARCH (like root-squashed NFS): /etc/crontab and "
                   "/etc/cron.d read, the spool cannot be listed"),
    "bigfile": ("partial", "a 50 MB crontab: larger than the scanner's per-host output bound (16 MiB), "
                "so the output is truncated"),
    "garbage": ("ok", "a crontab of binary garbage: every line invalid, nothing may crash"),
    "hostile": ("ok", "cron file names with spaces, newlines, ';', '$(...)' and backticks"),
    "shadowlink": ("ok", "a spool entry is a symlink to /etc/shadow: it must be reported, never read"),
    "closeauth": ("protocol-error", "the server drops the connection right after authentication"),
    "clock": ("ok", "the host's time zone is not UTC"),
}

HOSTILE_USER_NAMES = ["bob smith", "evil\nname", "x;reboot", "$(touch digger-lab-pwned)", "`id`", "-rf"]
HOSTILE_CRON_D_NAMES = ["nightly job", "a;b", "$(id)", "line\nbreak", "`uname`"]
BIGFILE_BYTES = 50 * 1024 * 1024


def apply_fault(host, fault, rng):
    status, note = FAULTS[fault]
    host.update(fault=fault, expected_status=status, status_note=note)
    host.update(name="fault-" + fault)
    globals()["_" + fault](host, rng)
    from .generate import finish_loaded
    for f in host["files"]:
        finish_loaded(f, host)


def _refused(host, rng):
    host["listener"] = "none"
    host["files"] = []


def _tarpit(host, rng):
    host["listener"] = "tarpit"
    host["files"] = []


def _stall(host, rng):
    host["listener"] = "stall"
    host["files"] = []


def _hostkey(host, rng):
    host["known_key"] = "other"


def _badkey(host, rng):
    host["authorized"] = False


def _sudopw(host, rng):
    host.update(login="digger", sudo="password")


def _nosudo(host, rng):
    host.update(login="digger", sudo="none")


def _unreadable(host, rng):
    host.update(login="root", spool_owner="nobody", drop_dac=True)
    if not any(f.kind == "user" for f in host["files"]):
        f = user_crontab_for(host, "root")
        f.job("0 2 * * *", "root", "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh")
        host["files"].append(f)


def _bigfile(host, rng):
    f = user_crontab_for(host, "app")
    block = "".join("2026-11-%02d 03:00:%02d settle[%d]: processed %d records for region eu-west-1\n"
                    % (1 + i % 28, i % 60, 4000 + i, 1000 + 7 * i) for i in range(100)).encode()
    f.raw = (block * (BIGFILE_BYTES // len(block) + 1))[:BIGFILE_BYTES]
    host["files"] = [x for x in host["files"] if x.path != f.path] + [f]


def _garbage(host, rng):
    f = user_crontab_for(host, "app")
    low = bytes(b for b in range(0x20) if b not in (0x09, 0x0A, 0x0D))
    high = bytes(range(0x80, 0x100))
    lines = []
    for _ in range(40):  # a high first byte: never blank, comment, env or a time field
        body = bytes([rng.choice(high)]) + bytes(rng.choice(high + low) for _ in range(rng.randint(0, 90)))
        lines.append(body)
    f.raw = b"\n".join(lines) + b"\n"
    f.lines = [{"n": i + 1, "kind": "invalid", "text": None, "text_hex": b.hex(), "error": "bad minute"}
               for i, b in enumerate(lines)]
    f.has_invalid = True
    host["files"] = [x for x in host["files"] if x.path != f.path] + [f]


def _hostile(host, rng):
    for name in HOSTILE_USER_NAMES:
        f = user_crontab_for(host, name)
        f.job("0 3 * * *", name, "/opt/scripts/backup.sh", "shell", "/opt/scripts/backup.sh")
        host["files"].append(f)
    for name in HOSTILE_CRON_D_NAMES:
        f = CronFile("/etc/cron.d/" + name, "cron.d", "root", "root", 0o644, system=True)
        f.job("*/30 * * * *", "root", "/usr/local/bin/settle --region eu-west-1", "binary",
              "/usr/local/bin/settle")
        host["files"].append(f)


def _shadowlink(host, rng):
    f = user_crontab_for(host, "sync")
    f.symlink_to = "/etc/shadow"
    f.owner, f.group, f.mode = "root", "root", 0o777
    host["files"].append(f)


def _closeauth(host, rng):
    host.update(login="root", force_command="kill -KILL $PPID")


def _clock(host, rng):
    host["timezone"] = rng.choice(["Asia/Kolkata", "America/Los_Angeles", "Australia/Adelaide"])
