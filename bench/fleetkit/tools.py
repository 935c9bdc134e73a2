"""The tools under test: how to run each one on the lab and how to count the hosts it read.

Every peer reads the same cron files with the same sudo -n as Digger, through the lab's
ssh_config (Host aliases carry HostName, Port and User, so root and digger logins mix freely).
"""

import os
import shutil
import sqlite3
import subprocess

# The same files Digger reads; 2>/dev/null because a RHEL-like host has no crontabs/ dir.
CRON_COMMAND = ("sudo -n sh -c 'cat /etc/crontab /etc/cron.d/* /var/spool/cron/* "
                "/var/spool/cron/crontabs/* 2>/dev/null; echo DIGGER-BENCH-END'")
END_MARK = "DIGGER-BENCH-END"

PACKAGES = {"pdsh": "pdsh", "parallel-ssh": "pssh", "clush": "clustershell"}
DEFAULT_FANOUT = {"pdsh": 32, "pssh": 32, "clush": 64}  # pdsh(1), psshlib/cli.py, clush.conf
OPENSSH_RTT = 11  # ~10.8 RTT measured for ssh host cmd (notes §3.1)
LIBSSH2_RTT = 8


def ensure_peers(log):
    missing = [pkg for cmd, pkg in PACKAGES.items() if shutil.which(cmd) is None]
    if missing:
        log("installing %s with apt-get" % " ".join(missing))
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "-q"] + missing, check=True, env=env,
                       stdout=subprocess.DEVNULL)


def versions():
    out = {}
    for pkg in sorted(set(PACKAGES.values())) + ["openssh-client", "openssh-server", "libssh2-1"]:
        r = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", pkg], capture_output=True, text=True)
        out[pkg] = r.stdout.strip() or None
    return out


class Variant:
    """One tool at one fan-out. rtts: round trips per host of its SSH client."""

    def __init__(self, tool, fanout, label, extra=(), binary=None):
        self.tool, self.fanout, self.label, self.extra = tool, fanout, label, list(extra)
        self.binary = binary  # another digger-scan (--digger-b), else ctx.digger
        self.rtts = LIBSSH2_RTT if tool == "digger" else OPENSSH_RTT

    def command(self, ctx, out_dir):
        cfg = os.path.join(ctx.lab_dir, "ssh_config")
        if self.tool == "digger":
            return [self.binary or ctx.digger, "--inventory", os.path.join(ctx.lab_dir, "hosts.txt"),
                    "-i", os.path.join(ctx.lab_dir, "id_ed25519"),
                    "--known-hosts", os.path.join(ctx.lab_dir, "known_hosts"), "--sudo",
                    "--db", os.path.join(out_dir, "fresh.db"), "--summary-format", "json",
                    "--concurrency", str(self.fanout), *self.extra], {}
        if self.tool == "pdsh":
            # No %u in the arguments: pdsh then passes no -l and ssh takes User from the alias.
            env = {"PDSH_SSH_ARGS": "-F %s -x %%h" % cfg, "PDSH_RCMD_TYPE": "ssh"}
            return ["pdsh", "-R", "ssh", "-f", str(self.fanout), "-w", "^" + ctx.names_file,
                    CRON_COMMAND], env
        if self.tool == "pssh":
            return ["parallel-ssh", "-h", ctx.names_file, "-p", str(self.fanout), "-t", "0",
                    "-o", os.path.join(out_dir, "out"), "-x", "-F %s" % cfg, CRON_COMMAND], {}
        if self.tool == "clush":
            return ["clush", "--hostfile", ctx.names_file, "-f", str(self.fanout),
                    "-o", "-F %s" % cfg, CRON_COMMAND], {}
        raise ValueError(self.tool)

    def hosts_read(self, ctx, out_dir, stdout_path):
        """Hosts whose output is complete (the end mark for peers, ok rows for Digger)."""
        if self.tool == "digger":
            return _digger_ok(os.path.join(out_dir, "fresh.db"))
        if self.tool == "pssh":
            done = set()
            out = os.path.join(out_dir, "out")
            for name in os.listdir(out) if os.path.isdir(out) else ():
                with open(os.path.join(out, name), "rb") as f:
                    if END_MARK.encode() in f.read():
                        done.add(name)
            return done & ctx.names
        done = set()
        with open(stdout_path, "rb") as f:
            for line in f:
                host, sep, rest = line.decode("utf-8", "replace").partition(": ")
                if sep and rest.strip() == END_MARK:
                    done.add(host)
        return done & ctx.names


PHASES = ("connect_ms", "handshake_ms", "auth_ms", "command_ms", "total_ms")


def digger_summary(stdout_path):
    """Hosts that ended `timeout` (the lab's hosts are all healthy: every one is a false
    timeout) and hosts retried at the end, from Digger's JSON summary."""
    import json
    try:
        with open(stdout_path) as f:
            summary = json.load(f)
    except (OSError, ValueError):
        return {}
    return {"hosts_timeout": summary.get("hosts_by_status", {}).get("timeout", 0),
            "retried": summary.get("retried_after_timeout", 0)}


def digger_phases(out_dir):
    """Median and p90 of Digger's own per-host phase timings, from its catalog."""
    try:
        con = sqlite3.connect("file:%s?mode=ro" % os.path.join(out_dir, "fresh.db"), uri=True)
        rows = con.execute("SELECT %s FROM host_results" % ", ".join(PHASES)).fetchall()
        con.close()
    except sqlite3.Error:
        return {}
    out = {}
    for i, name in enumerate(PHASES):
        values = sorted(r[i] for r in rows)
        if values:
            out[name + "_median"] = values[len(values) // 2]
            out[name + "_p90"] = values[min(len(values) - 1, len(values) * 9 // 10)]
    return out


def digger_failures(out_dir, limit=20):
    """Why hosts were not ok (name, status, reason, attempts, phase times), kept in the JSON:
    the run's catalog is deleted afterwards."""
    try:
        con = sqlite3.connect("file:%s?mode=ro" % os.path.join(out_dir, "fresh.db"), uri=True)
        rows = con.execute(
            "SELECT h.name, r.status, r.reason, r.attempts, %s FROM host_results r "
            "JOIN hosts h ON h.id = r.host_id WHERE r.status != 'ok' LIMIT ?" % ", ".join(PHASES),
            (limit,)).fetchall()
        con.close()
    except sqlite3.Error as error:
        return [{"error": str(error)}]
    keys = ["name", "status", "reason", "attempts"] + list(PHASES)
    return [dict(zip(keys, row)) for row in rows]


def _digger_ok(db):
    try:
        con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
        rows = con.execute("SELECT h.name FROM host_results r JOIN hosts h ON h.id = r.host_id "
                           "WHERE r.status = 'ok'").fetchall()
        con.close()
    except sqlite3.Error:
        return set()
    return {r[0] for r in rows}


def variants(concurrency, only, fixed=(), digger_b=None):
    # Digger as shipped (every scheduler, programs inspected on a second exec), and without the
    # inspection round trip (--no-inspect): the closest to the peers' single `cat`.
    out = [Variant("digger", concurrency, "digger -c%d" % concurrency),
           Variant("digger", concurrency, "digger-noinspect -c%d" % concurrency, ["--no-inspect"])]
    # The pacer off (--fixed-concurrency): what each fixed window gives, to compare with.
    out += [Variant("digger", c, "digger-fixed -c%d" % c, ["--fixed-concurrency"]) for c in fixed]
    # A second build (an older remote script, say) in the same interleaved runs.
    if digger_b:
        out += [Variant("digger", concurrency, "digger-b -c%d" % concurrency, binary=digger_b),
                Variant("digger", concurrency, "digger-b-noinspect -c%d" % concurrency, ["--no-inspect"],
                        binary=digger_b)]
    for tool in ("pdsh", "pssh", "clush"):
        for fan in sorted({DEFAULT_FANOUT[tool], concurrency}):
            tag = "default" if fan == DEFAULT_FANOUT[tool] else "same"
            flag = "-p" if tool == "pssh" else "-f"
            out.append(Variant(tool, fan, "%s %s%d (%s)" % (tool, flag, fan, tag)))
    return [v for v in out if not only or v.tool in only]
