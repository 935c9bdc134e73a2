"""Writes each host's private view of the machine under D/hosts/<name>/.

  etc/            overlay upper layer on /etc: accounts, crontab, cron.d, sudoers.d, os-release...
  etc-work/       overlay work directory
  var-spool/      bound over /var/spool: cron/ with the distribution's spool layout
  authorized_keys/<user>
  digger-lab.sshd_config
  opt/, srv/      bound over /opt and /srv: the programs the jobs run
  lib-systemd/    bound over /usr/lib/systemd/system: package-owned units
  dpkg/           bound over /var/lib/dpkg: the host's own dpkg database (empty on RHEL hosts)
"""

import os
import stat

from . import distro
from .extras import OPAQUE_DIRS, PER_HOST_MOUNTS

OVERLAY_OPAQUE = "trusted.overlay.opaque"


def host_dir(lab_dir, host):
    return os.path.join(lab_dir, "hosts", host["name"])


def plant_etc_files(lab_dir, host, files):
    """Writes {"/etc/...": text} into a running host's /etc (mode 0644), replacing the lab's
    whiteout that hides this machine's own file at that path."""
    root = host_dir(lab_dir, host)
    for path, text in files.items():
        local = os.path.join(root, "etc", path[len("/etc/"):])
        if os.path.lexists(local) and stat.S_ISCHR(os.lstat(local).st_mode):
            os.unlink(local)
        os.makedirs(os.path.dirname(local), exist_ok=True)
        with open(local, "w") as f:
            f.write(text)
        os.chmod(local, 0o644)


def write_host(lab_dir, host, keys, binaries=None):
    """binaries: {"go"|"c": path on the lab's tmpfs} to hard-link the hosts' binaries from."""
    root = host_dir(lab_dir, host)
    etc = os.path.join(root, "etc")
    for d in (etc, os.path.join(root, "etc-work"), os.path.join(root, "var-spool"),
              os.path.join(root, "authorized_keys")) + tuple(os.path.join(root, d) for d in PER_HOST_MOUNTS.values()):
        os.makedirs(d, exist_ok=True)
    _clear_whiteouts(etc)
    _write_etc(etc, host)
    _write_spool(os.path.join(root, "var-spool"), host)
    _write_cron_files(root, host)
    _write_extras(root, host, binaries or {})
    _hide_machine_files(etc)
    _write_authorized_keys(os.path.join(root, "authorized_keys"), host, keys)
    _write(os.path.join(root, "digger-lab.sshd_config"), sshd_config(lab_dir, host, keys), 0o644)


# What Digger reads in /etc beside the opaque directories: a host the lab gave none of these
# must not show this machine's own (the cron, anacron, at or supervisor packages install them).
MACHINE_ETC_FILES = ("crontab", "anacrontab", "cron.allow", "cron.deny", "at.allow", "at.deny",
                     "supervisord.conf")
MACHINE_ETC_DIRS = ("supervisor", "supervisord.d", "supervisor.d")


def _clear_whiteouts(etc):
    """The whiteouts an earlier materialization of this host left: this one decides again."""
    for name in MACHINE_ETC_FILES + MACHINE_ETC_DIRS:
        path = os.path.join(etc, name)
        if os.path.lexists(path) and stat.S_ISCHR(os.lstat(path).st_mode):
            os.unlink(path)


def _hide_machine_files(etc):
    """For each of MACHINE_ETC_FILES the host did not get, an overlay whiteout (a 0/0 character
    device in the upper layer): the machine's file disappears from the host's view. Each of
    MACHINE_ETC_DIRS becomes an opaque directory, empty unless a fixture writes into it later."""
    for name in MACHINE_ETC_FILES:
        path = os.path.join(etc, name)
        if not os.path.lexists(path):
            os.mknod(path, stat.S_IFCHR | 0o600, os.makedev(0, 0))
    for name in MACHINE_ETC_DIRS:
        path = os.path.join(etc, name)
        if not os.path.lexists(path):
            os.mkdir(path, 0o755)
        if os.path.isdir(path) and not os.path.islink(path):
            os.setxattr(path, OVERLAY_OPAQUE, b"y")


def _write(path, data, mode, uid=0, gid=0):
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def _write_etc(etc, host):
    passwd, group, shadow = distro.account_files(host)
    _write(os.path.join(etc, "passwd"), passwd, 0o644)
    _write(os.path.join(etc, "group"), group, 0o644)
    _write(os.path.join(etc, "shadow"), shadow, 0o640, 0, 42)
    _write(os.path.join(etc, "hostname"), host["name"] + "\n", 0o644)
    _write(os.path.join(etc, "hosts"), "127.0.0.1\tlocalhost\n%s\t%s\n" % (host["address"], host["name"]), 0o644)
    _write(os.path.join(etc, "os-release"), distro.os_release(host), 0o644)
    for sub in ("cron.d", "sudoers.d"):
        path = os.path.join(etc, sub)
        os.makedirs(path, exist_ok=True)
        os.chmod(path, 0o755 if sub == "cron.d" else 0o750)
        os.setxattr(path, OVERLAY_OPAQUE, b"y")  # hide the machine's own files
    if host["sudo"] != "none":
        rule = "digger ALL=(ALL:ALL) %sALL\n" % ("NOPASSWD: " if host["sudo"] == "nopasswd" else "")
        _write(os.path.join(etc, "sudoers.d", "digger"), rule, 0o440)
    if host["timezone"] != "Etc/UTC":
        link = os.path.join(etc, "localtime")
        if os.path.lexists(link):
            os.unlink(link)
        os.symlink("/usr/share/zoneinfo/" + host["timezone"], link)
        _write(os.path.join(etc, "timezone"), host["timezone"] + "\n", 0o644)


def _write_spool(var_spool, host):
    if not os.path.lexists(os.path.join(var_spool, "mail")):
        os.symlink("../mail", os.path.join(var_spool, "mail"))
    dirs = host["spool"]
    for i, (path, owner, group, mode) in enumerate(dirs):
        local = os.path.join(var_spool, os.path.relpath(path, "/var/spool"))
        os.makedirs(local, exist_ok=True)
        if i == len(dirs) - 1 and host["spool_owner"] != "root":
            owner, mode = host["spool_owner"], 0o700
        uid, gid = distro.uid_gid(owner, group)
        os.chown(local, uid, gid)
        os.chmod(local, mode)


def _local_path(root, path):
    if path.startswith("/var/spool/"):
        return os.path.join(root, "var-spool", path[len("/var/spool/"):])
    for mount, sub in PER_HOST_MOUNTS.items():
        if path.startswith(mount + "/"):
            return os.path.join(root, sub, path[len(mount) + 1:])
    if not path.startswith("/etc/"):
        raise ValueError("the lab has no per-host copy of %s" % path)
    return os.path.join(root, "etc", path[len("/etc/"):])


def _write_extras(root, host, binaries):
    for d in OPAQUE_DIRS:  # hide the machine's run-parts scripts and units: the truth lists all
        local = _local_path(root, d)
        os.makedirs(local, exist_ok=True)
        os.chmod(local, 0o755)
        os.setxattr(local, OVERLAY_OPAQUE, b"y")
    for f in host.get("extra_files", []):
        local = _local_path(root, f["path"])
        os.makedirs(os.path.dirname(local), exist_ok=True)
        if os.path.lexists(local):
            os.unlink(local)
        if f["symlink"]:
            os.symlink(f["symlink"], local)
        elif f["binary"]:
            os.link(binaries[f["binary"]], local)  # one inode for the whole fleet (root, 0755)
        else:
            uid, gid = distro.uid_gid(f["owner"], f["group"])
            _write(local, f["content"], f["mode"], uid, gid)
    if host.get("package_db") == "dpkg":
        _write_dpkg(os.path.join(root, PER_HOST_MOUNTS["/var/lib/dpkg"]), host)


def dpkg_status(host):
    from .extras import VERSIONS
    return "".join("Package: %s\nStatus: install ok installed\nPriority: optional\nSection: admin\n"
                   "Maintainer: Debian <debian-devel@lists.debian.org>\nArchitecture: amd64\nVersion: %s\n"
                   "Description: %s (digger lab)\n\n" % (pkg, VERSIONS[pkg], pkg) for pkg in sorted(host["packages"]))


def dpkg_list(paths):
    """A dpkg .list file: every path with its parent directories, as dpkg writes them."""
    entries = {"/."}
    for p in paths:
        parts = p.split("/")
        entries.update("/".join(parts[:i]) for i in range(2, len(parts) + 1))
    return "".join(e + "\n" for e in sorted(entries))


def _write_dpkg(dpkg, host):
    for d in ("info", "updates"):
        os.makedirs(os.path.join(dpkg, d), exist_ok=True)
    _write(os.path.join(dpkg, "status"), dpkg_status(host), 0o644)
    _write(os.path.join(dpkg, "available"), "", 0o644)
    for pkg, paths in host["packages"].items():
        _write(os.path.join(dpkg, "info", pkg + ".list"), dpkg_list(paths), 0o644)


def _write_cron_files(root, host):
    for f in host["files"]:
        local = _local_path(root, f.path)
        if f.symlink_to:
            if os.path.lexists(local):
                os.unlink(local)
            os.symlink(f.symlink_to, local)
            continue
        uid, gid = distro.uid_gid(f.owner, f.group)
        _write(local, f.content(), f.mode, uid, gid)


def _write_authorized_keys(path, host, keys):
    for user in ("root", "digger"):
        key = keys["client_pub"] if host.get("authorized", True) else keys["stranger_pub"]
        _write(os.path.join(path, user), key, 0o644)


def sshd_config(lab_dir, host, keys):
    lines = [
        "# digger-lab host %s (generated; see docs/lab.md)" % host["name"],
        "ListenAddress %s:%d" % (host["address"], host["port"]),
        "HostKey %s" % keys["host_key"][host["index"]],
        "PidFile none",
        # sshd opens it as the user: use the tmpfs path, not D/hosts (D may be mode 0700).
        "AuthorizedKeysFile %s/authorized_keys/%%u" % os.path.realpath(host_dir(lab_dir, host)),
        # Keys and configs live under the lab directory, which may sit in a group-writable
        # build tree; the hosts' own accounts never own them, so the check would only fail.
        "StrictModes no",
        "UsePAM no",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "KbdInteractiveAuthentication no",
        # A scan opens hundreds of connections at once; the default 10:30:100 drops them.
        "MaxStartups 4000:30:8000",
        "LogLevel ERROR",
        "UseDNS no",
        "PrintMotd no",
        "PrintLastLog no",
        "Subsystem sftp internal-sftp",
    ]
    if keys.get("penalties"):
        lines.append("PerSourcePenalties no")
    if host.get("force_command"):
        lines.append("ForceCommand %s" % host["force_command"])
    return "\n".join(lines) + "\n"
