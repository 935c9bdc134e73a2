"""lab up / down / status."""

import contextlib
import fcntl
import json
import os
import random
import shutil
import subprocess
import sys
import time

from . import launch, materialize, outputs, paths, procs, programs
from .generate import generate, host_address

STATE = "state.json"
MARK = ".digger-lab"  # a directory holding this file is a lab: down may delete its contents
SLOTS = "/run/digger-lab/slots"
MAX_SLOTS = 100
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(msg):
    print("lab: " + msg, file=sys.stderr, flush=True)


def _load_state(lab_dir):
    try:
        with open(os.path.join(lab_dir, STATE)) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def _save_state(lab_dir, state):
    tmp = os.path.join(lab_dir, STATE + ".tmp")
    with open(tmp, "w") as f:
        json.dump(state, f, indent=1)
    os.replace(tmp, os.path.join(lab_dir, STATE))


# ---------------------------------------------------------------- address slots


@contextlib.contextmanager
def _slots_locked():
    """Holds the slot registry's lock; the registry is removed when empty, so retry if the
    directory we locked was deleted meanwhile."""
    while True:
        os.makedirs(SLOTS, exist_ok=True)
        try:
            fd = os.open(SLOTS, os.O_RDONLY | os.O_DIRECTORY)
        except FileNotFoundError:
            continue
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            same = os.path.isdir(SLOTS) and os.stat(SLOTS).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        yield
    finally:
        os.close(fd)


def _claim_slot(lab_dir, wanted=None):
    """One slot per running lab: its hosts live in 127.<100+slot>.0.0/16."""
    with _slots_locked():
        for slot in ([wanted] if wanted is not None else range(MAX_SLOTS)):
            path = os.path.join(SLOTS, str(slot))
            if os.path.exists(path):
                with open(path) as f:
                    owner = f.read().strip()
                if owner != lab_dir and any(os.path.exists(os.path.join(owner, n)) for n in (STATE, MARK)):
                    continue  # another lab (down releases its slot; a deleted lab's is free)
            with open(path, "w") as f:
                f.write(lab_dir)
            return slot
    raise RuntimeError("no free address slot (another lab holds %s)" % wanted)


def _release_slot(lab_dir):
    if not os.path.isdir(SLOTS):
        return
    with _slots_locked():
        for name in os.listdir(SLOTS):
            path = os.path.join(SLOTS, name)
            with open(path) as f:
                if f.read().strip() == lab_dir:
                    os.unlink(path)
        for d in (SLOTS, os.path.dirname(SLOTS)):
            try:
                os.rmdir(d)
            except OSError:
                break


@contextlib.contextmanager
def _locked(lab_dir):
    """One up or down at a time per lab directory."""
    os.makedirs(lab_dir, exist_ok=True)
    fd = os.open(lab_dir, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


# ---------------------------------------------------------------- up


def parse_faults(text):
    from .faults import FAULTS
    if text in ("none", ""):
        return []
    if text == "all":
        return list(FAULTS)
    names = [n.strip() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in FAULTS]
    if unknown:
        raise ValueError("unknown fault(s) %s; known: %s" % (", ".join(unknown), ", ".join(FAULTS)))
    return names


def parse_delay(text):
    """"25" (every host) or "10-80" (per host, uniform, from the seed)."""
    if not text:
        return None
    low, _, high = str(text).partition("-")
    low, high = float(low), float(high or low)
    if low < 0 or high < low:
        raise ValueError("bad --delay-ms %r" % text)
    return [low, high]


def up(lab_dir, hosts, seed, faults, delay, wanted_slot=None):
    lab_dir = os.path.realpath(lab_dir)
    if any(c.isspace() or c in "\"'%,:#\\" for c in lab_dir):
        # The path goes into sshd_config, ssh_config and mount options unquoted.
        raise ValueError("the lab directory must not contain blanks, quotes, %%, ',', ':' or '#': %r" % lab_dir)
    with _locked(lab_dir):
        return _up_locked(lab_dir, hosts, seed, faults, delay, wanted_slot)


def _up_locked(lab_dir, hosts, seed, faults, delay, wanted_slot):
    settings = {"hosts": hosts, "seed": seed, "faults": faults, "delay": delay}
    state = _load_state(lab_dir)
    if state and state.get("settings") == settings and state.get("phase") == "up" \
            and all(launch.alive(p) for p in state["pids"].values()):
        log("already up: %d hosts in %s" % (len(state["pids"]), lab_dir))
        return 0
    if state or procs.lab_processes(lab_dir):
        log("replacing the previous lab in %s" % lab_dir)
        _down_locked(lab_dir, purge=False)
    t0 = time.monotonic()
    os.makedirs(lab_dir, exist_ok=True)
    open(os.path.join(lab_dir, MARK), "w").close()
    slot = _claim_slot(lab_dir, wanted_slot)
    state = {"settings": settings, "slot": slot, "phase": "starting", "pids": {}, "dir": lab_dir}
    _save_state(lab_dir, state)
    spawner = launch.Spawner(lab_dir)  # while this process is still small
    try:
        return _up(lab_dir, settings, state, spawner, t0)
    finally:
        spawner.close()


def _up(lab_dir, settings, state, spawner, t0):
    hosts, seed, faults, delay, slot = (settings["hosts"], settings["seed"], settings["faults"],
                                        settings["delay"], state["slot"])
    binaries = programs.build(os.path.join(lab_dir, "cache"), log)  # cached: only the first up compiles
    if not binaries.have_go:
        log(binaries.go_note)
    fleet = generate(seed, hosts, faults, slot, have_go=binaries.have_go)
    _assign_fronts(fleet, slot, seed, delay)
    keys = _keys(lab_dir, fleet)
    t_keys = time.monotonic()
    volatile = paths.volatile_root(lab_dir)
    for d in ("hosts", "logs"):
        os.makedirs(os.path.join(volatile, d), exist_ok=True)
        if not os.path.islink(os.path.join(lab_dir, d)):
            os.symlink(os.path.join(volatile, d), os.path.join(lab_dir, d))
    open(os.path.join(lab_dir, "empty"), "w").close()
    installed = programs.install(volatile, binaries)
    for host in fleet:
        if host.get("listener", "sshd") == "sshd":
            materialize.write_host(lab_dir, host, keys, installed)
    t_files = time.monotonic()
    try:
        pids = _start_all(lab_dir, fleet, state, spawner)
    except Exception:
        state["phase"] = "failed"
        _save_state(lab_dir, state)
        procs.kill_lab(lab_dir)
        raise
    state.update(phase="up", pids=pids)
    _save_state(lab_dir, state)
    outputs.write_all(lab_dir, fleet, keys, settings, binaries)
    t_end = time.monotonic()
    log("up: %d hosts (%d fault) in %s, slot %d; %.1fs (keys %.1fs, %d new; files %.1fs; start %.1fs)"
        % (len(fleet), len(faults), lab_dir, slot, t_end - t0, t_keys - t0, keys["generated"],
           t_files - t_keys, t_end - t_files))
    return 0


def _assign_fronts(fleet, slot, seed, delay):
    rng = random.Random("%s:delay" % seed)
    for h in fleet:
        ms = rng.uniform(*delay) if delay else 0.0
        behind = bool(delay) and h.get("listener") != "none"  # "refused" must stay refused
        h["delay_ms"] = round(ms, 1) if behind else 0.0
        h["connect_address"] = host_address(slot, h["index"], front=True) if behind else h["address"]


def _keys(lab_dir, fleet):
    cache = os.path.join(lab_dir, "cache")
    os.makedirs(os.path.join(cache, "hostkeys"), exist_ok=True)
    os.makedirs(os.path.join(cache, "client"), exist_ok=True)
    host_key = {h["index"]: os.path.join(cache, "hostkeys", "h%05d" % h["index"]) for h in fleet}
    other = os.path.join(cache, "hostkeys", "other")
    client = os.path.join(cache, "client", "id_ed25519")
    stranger = os.path.join(cache, "client", "stranger")
    generated = launch.ensure_keys(list(host_key.values()) + [other, client, stranger])
    for src, dst in ((client, "id_ed25519"), (client + ".pub", "id_ed25519.pub")):
        shutil.copyfile(src, os.path.join(lab_dir, dst))
        os.chmod(os.path.join(lab_dir, dst), 0o600)
    return {
        "host_key": host_key, "host_pub": {i: launch.public_key(p) for i, p in host_key.items()},
        "other_pub": launch.public_key(other), "client_pub": launch.public_key(client) + " digger-lab\n",
        "stranger_pub": launch.public_key(stranger) + " someone-else\n",
        "penalties": launch.sshd_supports_penalties(), "generated": generated,
    }


def _start_all(lab_dir, fleet, state, spawner):
    expected, fake, routes = set(), [], []
    real = [h for h in fleet if h.get("listener", "sshd") == "sshd"]
    pids = dict(zip((h["name"] for h in real), spawner.start(real)))
    for host in fleet:
        kind = host.get("listener", "sshd")
        if kind in ("tarpit", "stall"):
            fake.append([host["address"], host["port"], kind])
        if kind != "none":
            expected.add((host["address"], host["port"]))
        if host["connect_address"] != host["address"]:
            routes.append([host["connect_address"], host["port"], host["address"], host["port"], host["delay_ms"]])
            expected.add((host["connect_address"], host["port"]))
    state["pids"] = pids
    _save_state(lab_dir, state)
    if fake:
        pids["faultd"] = _helper(lab_dir, "faultd", fake, [sys.executable, "-m", "labkit.faultd"])
    if routes:
        pids["delayproxy"] = _helper(lab_dir, "delayproxy", routes,
                                     [sys.executable, os.path.join(HERE, "delayproxy.py")])
    launch.wait_listening(expected, pids)
    return pids


def _helper(lab_dir, name, config, argv):
    path = os.path.join(lab_dir, name + ".json")
    with open(path, "w") as f:
        json.dump(config, f)
    with open(os.path.join(lab_dir, "logs", name + ".log"), "ab") as log_file:
        proc = subprocess.Popen(argv + [path, "--lab-marker=" + lab_dir], cwd=HERE, stdin=subprocess.DEVNULL,
                                stdout=log_file, stderr=log_file, start_new_session=True)
    return proc.pid


# ---------------------------------------------------------------- down and status


def down(lab_dir, purge=False):
    lab_dir = os.path.realpath(lab_dir)
    if not os.path.isdir(lab_dir):
        return _down_locked(lab_dir, purge)
    with _locked(lab_dir):
        return _down_locked(lab_dir, purge)


def _down_locked(lab_dir, purge):
    left = procs.kill_lab(lab_dir)
    if left:
        log("could not kill: %s" % left)
    if os.path.isdir(lab_dir):
        entries = os.listdir(lab_dir)
        if entries and MARK not in entries and STATE not in entries:
            log("%s does not look like a lab directory; not deleting anything in it" % lab_dir)
            return 1
        for name in entries:
            if name in ("cache", MARK) and not purge:
                continue  # the key cache makes the next up fast
            path = os.path.join(lab_dir, name)
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            else:
                os.unlink(path)
        if purge:
            os.rmdir(lab_dir)
    volatile = paths.volatile_root(lab_dir)
    if os.path.isdir(volatile):
        shutil.rmtree(volatile)
    try:
        os.rmdir(paths.SHM)
    except OSError:
        pass
    _release_slot(lab_dir)
    left = procs.lab_processes(lab_dir)
    if left:
        log("processes left behind: %s" % left)
        return 1
    log("down: %s is clean%s" % (lab_dir, "" if purge else " (key cache kept)"))
    return 0


def status(lab_dir):
    lab_dir = os.path.realpath(lab_dir)
    state = _load_state(lab_dir)
    live = procs.lab_processes(lab_dir)
    if not state:
        print("no lab in %s (%d stray processes)" % (lab_dir, len(live)))
        return 1 if live else 3
    alive = sum(1 for p in state["pids"].values() if launch.alive(p))
    print("lab %s: phase %s, slot %d, %d/%d processes alive, %d processes in its namespaces"
          % (lab_dir, state["phase"], state["slot"], alive, len(state["pids"]), len(live)))
    print("settings: %s" % json.dumps(state["settings"]))
    return 0 if state["phase"] == "up" and alive == len(state["pids"]) else 1
