"""The programs the lab's cron jobs run: a real Go binary and a real C binary, built once per lab
(cached in D/cache/bin, keyed by the source and the compiler), and the text of every script.

The binaries are copied once to the lab's tmpfs root and hard-linked into each host's /opt, so
200 hosts cost two files, not 400. Building needs `go` (golang-go) and `gcc`; without `go` the
fleet has no Go jobs and truth.json says so (`go.available` false).
"""

import hashlib
import os
import shutil
import subprocess

GO_MODULE = "git.example.com/batch/settle"
GO_SOURCE = """package main

// settle: the lab's stand-in for a Go batch job. It is never run; Digger only inspects it.
import (
	"flag"
	"fmt"
	"os"
)

func main() {
	daily := flag.Bool("daily", false, "settle the whole day")
	sync := flag.Bool("sync", false, "sync with the ledger")
	flag.Parse()
	fmt.Fprintf(os.Stderr, "settle: nothing to settle (daily=%v sync=%v)\\n", *daily, *sync)
}
"""
GO_MOD = "module %s\n\ngo 1.19\n" % GO_MODULE
C_SOURCE = """/* compact-ledger: the lab's stand-in for a native batch job. Never run, only inspected. */
#include <stdio.h>

int main(int argc, char **argv) {
    fprintf(stderr, "compact-ledger: %d arguments, nothing to do\\n", argc - 1);
    (void)argv;
    return 0;
}
"""


def _sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class Binaries:
    """What the hosts' binaries are: {"go": facts or None, "c": facts}. facts: path (on the
    machine), sha256, size, head (first 256 bytes), go_version, go_module."""

    def __init__(self, go, c, go_note=""):
        self.go, self.c, self.go_note = go, c, go_note

    @property
    def have_go(self):
        return self.go is not None

    @classmethod
    def planned(cls, have_go=True):
        """Stand-ins for the generator's own tests, which build nothing: no bytes, no hashes."""
        go = {"path": None, "sha256": None, "size": None, "head": b"\x7fELF", "go_version": "go1.19.8",
              "go_module": GO_MODULE} if have_go else None
        c = {"path": None, "sha256": None, "size": None, "head": b"\x7fELF", "go_version": "", "go_module": ""}
        return cls(go, c, "" if have_go else "planned without go")

    def truth(self):
        def strip(facts):
            return None if facts is None else {k: v for k, v in facts.items() if k not in ("path", "head")}
        return {"go": dict(available=self.have_go, note=self.go_note, **(strip(self.go) or {})),
                "c": strip(self.c)}


def _facts(path, go_version="", go_module=""):
    with open(path, "rb") as f:
        head = f.read(256)
    return {"path": path, "sha256": _sha256_file(path), "size": os.path.getsize(path), "head": head,
            "go_version": go_version, "go_module": go_module}


def _key(*parts):
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:16]


def _tool_version(argv):
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.strip()
    except OSError:
        return ""


def build(cache_dir, log=lambda msg: None):
    """Builds (or reuses) the two binaries under cache_dir; returns Binaries."""
    bindir = os.path.join(cache_dir, "bin")
    os.makedirs(bindir, exist_ok=True)
    c_path = os.path.join(bindir, "compact-ledger-" + _key(C_SOURCE, _tool_version(["gcc", "--version"])))
    if not os.path.exists(c_path) and not _borrow(c_path):
        src = os.path.join(bindir, "compact-ledger.c")
        with open(src, "w") as f:
            f.write(C_SOURCE)
        subprocess.run(["gcc", "-O2", "-s", "-o", c_path + ".tmp", src], check=True, capture_output=True)
        os.replace(c_path + ".tmp", c_path)
        log("built the C binary")
    c = _facts(c_path)
    go_tool = shutil.which("go")
    if not go_tool:
        return Binaries(None, c, "go is not installed (package golang-go): the fleet has no Go jobs")
    go_version = _tool_version([go_tool, "version"])  # "go version go1.19.8 linux/amd64"
    go_path = os.path.join(bindir, "settle-" + _key(GO_SOURCE, GO_MOD, go_version))
    if not os.path.exists(go_path) and not _borrow(go_path):
        _go_build(go_tool, cache_dir, go_path)
        log("built the Go binary (%s)" % go_version)
    version, module = go_build_info(go_tool, go_path)
    return Binaries(_facts(go_path, version, module), c)


def _borrow(path, slots="/run/digger-lab/slots"):
    """Copies the same binary (same source and compiler: same name) from another running lab's
    cache: a cold Go build costs 10-20 s, and ctest brings up three labs."""
    name = os.path.basename(path)
    try:
        owners = [open(os.path.join(slots, s)).read().strip() for s in os.listdir(slots)]
    except OSError:
        return False
    for owner in owners:
        other = os.path.join(owner, "cache", "bin", name)
        if os.path.realpath(other) != os.path.realpath(path) and os.path.isfile(other):
            try:
                shutil.copyfile(other, path + ".tmp")
                os.chmod(path + ".tmp", 0o755)
                os.replace(path + ".tmp", path)
                return True
            except OSError:
                continue
    return False


def _go_build(go_tool, cache_dir, out):
    root = os.path.join(cache_dir, "go")
    src = os.path.join(root, "src")
    os.makedirs(src, exist_ok=True)
    for name, text in (("main.go", GO_SOURCE), ("go.mod", GO_MOD)):
        with open(os.path.join(src, name), "w") as f:
            f.write(text)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": root, "GOCACHE": os.path.join(root, "cache"),
           "GOPATH": os.path.join(root, "path"), "GOPROXY": "off", "GOFLAGS": "-mod=mod", "CGO_ENABLED": "0",
           "GOTOOLCHAIN": "local", "GOTELEMETRY": "off"}
    # -buildvcs=false: the cache may sit inside a git checkout; the build info must not depend on it.
    subprocess.run([go_tool, "build", "-trimpath", "-buildvcs=false", "-ldflags=-s -w", "-o", out + ".tmp", "."],
                   cwd=src, env=env, check=True, capture_output=True, timeout=600)
    os.replace(out + ".tmp", out)


def go_build_info(go_tool, path):
    """(go version, main module path) from `go version -m`."""
    out = subprocess.run([go_tool, "version", "-m", path], capture_output=True, text=True, check=True).stdout
    version = out.splitlines()[0].rsplit(" ", 1)[1]
    module = next((line.split("\t")[2] for line in out.splitlines() if line.startswith("\tpath\t")), "")
    return version, module


def install(volatile_root, binaries):
    """Copies the binaries to the lab's tmpfs (hard links cannot cross into it from D/cache);
    returns {"go": path, "c": path} of the copies to hard-link from."""
    out = {}
    bindir = os.path.join(volatile_root, "bin")
    os.makedirs(bindir, exist_ok=True)
    for name, facts in (("go", binaries.go), ("c", binaries.c)):
        if facts is None:
            continue
        dst = os.path.join(bindir, name)
        if os.path.exists(dst):
            os.unlink(dst)
        shutil.copyfile(facts["path"], dst)
        os.chown(dst, 0, 0)
        os.chmod(dst, 0o755)
        out[name] = dst
    return out


# ---------------------------------------------------------------- scripts


def script(path, ctx, variant):
    """Plausible text for a script at `path`; `variant` (0..2) picks among shebang styles."""
    app = ctx["app"]
    name = os.path.basename(path)
    ext = os.path.splitext(name)[1]
    if ext == ".py":
        bang = ["#!/usr/bin/env python3\n", "#!/usr/bin/python3\n", ""][variant]
        return bang + '"""%s: %s batch (digger lab)."""\nimport sys\n\nprint("%s", file=sys.stderr)\n' % (
            name, app, name)
    if ext == ".sh":
        bang = ["#!/bin/sh\n", "#!/bin/bash\n", "#!/usr/bin/env bash\n"][variant]
        return bang + "# %s for %s (digger lab)\nset -eu\nexit 0\n" % (name, app)
    if ext == ".php":
        return "<?php\n// %s for %s (digger lab)\nfwrite(STDERR, \"%s\\n\");\n" % (name, app, name)
    if ext == ".pl":
        return "#!/usr/bin/perl\nuse strict;\nuse warnings;\n# %s (digger lab)\nexit 0;\n" % name
    if ext == ".rb":
        return "# frozen_string_literal: true\n# %s for %s (digger lab)\nexit 0\n" % (name, app)
    if ext == ".js":
        return "'use strict';\n// %s for %s (digger lab)\nprocess.exit(0);\n" % (name, app)
    if ext == ".go":
        return "package main\n\n// %s (digger lab)\nfunc main() {}\n" % name
    if ext == ".jar":
        return b"PK\x03\x04\x14\x00\x08\x08\x08\x00" + ("%s digger lab" % name).encode()
    return "#!/bin/sh\n# %s (digger lab)\nexit 0\n" % name


# interpreter basename (from a shebang) -> language, as docs/lab.md states it
SHEBANG_LANGUAGES = [("python", "python"), ("php", "php"), ("perl", "perl"), ("ruby", "ruby"),
                     ("node", "javascript"), ("nodejs", "javascript"), ("sh", "shell"), ("bash", "shell"),
                     ("dash", "shell"), ("zsh", "shell"), ("ksh", "shell")]


def shebang_language(head):
    """(language, shebang line) from the first bytes, or (None, None)."""
    if not head.startswith(b"#!"):
        return None, None
    line = head.split(b"\n", 1)[0].decode("utf-8", "replace").rstrip("\r")
    words = line[2:].split()
    if not words:
        return None, line
    interp = os.path.basename(words[0])
    if interp == "env" and len(words) > 1:
        interp = next((w for w in words[1:] if not w.startswith("-")), "")
    base = interp.rstrip("0123456789.")
    for prefix, lang in SHEBANG_LANGUAGES:
        if base == prefix:
            return lang, line
    return None, line
