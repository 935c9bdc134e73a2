"""Host keys: strict and accept-new against the lab's known_hosts, keys recorded in Digger's own
file on first contact and reused by the next scan, a changed recorded key is an alarm."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
import scanlab  # noqa: E402

scanlab.need_root()
binary = sys.argv[1]
lab = scanlab.lab_dir()
checks = scanlab.Checks()
expect = checks.expect


def scan(db, inventory, *extra):
    args = ["--inventory", inventory, "-i", os.path.join(lab, "id_ed25519"), "--sudo", "--db", db,
            "--timeout", "20", "--concurrency", "16", "--quiet", *extra]
    return scanlab.run(binary, *args)


with tempfile.TemporaryDirectory() as tmp:
    os.environ["HOME"] = tmp  # no ~/.ssh/known_hosts: only what the test passes
    inventory = os.path.join(tmp, "hosts.txt")
    n = scanlab.sub_inventory(lab, inventory, lambda h: h["fault"] == "hostkey"
                              or (h["fault"] is None and h["name"] < "api-006"))  # a few healthy hosts and the changed key
    changed = [h for h in scanlab.truth(lab)["hosts"] if h["fault"] == "hostkey"][0]
    changed_key = (changed["address"], changed["port"])
    lab_known = os.path.join(lab, "known_hosts")

    # strict with the lab's records: known hosts ok, the changed key refused.
    db = os.path.join(tmp, "strict.db")
    proc = scan(db, inventory, "--host-key-check", "strict", "--known-hosts", lab_known)
    got = scanlab.statuses(db)
    expect(proc.returncode == 1, f"strict: exit {proc.returncode}")
    expect(got.get(changed_key) == "hostkey-mismatch", f"strict: changed key gave {got.get(changed_key)}")
    expect(sum(s == "ok" for s in got.values()) == n - 1, f"strict: {got}")
    reason = scanlab.host_results(db)[changed_key]["reason"]
    expect("SHA256:" in reason, f"the alarm names the fingerprints: {reason!r}")

    # strict with no record at all: nothing is trusted, nothing is sent.
    db = os.path.join(tmp, "unknown.db")
    scan(db, inventory, "--host-key-check", "strict")
    got = scanlab.statuses(db)
    expect(set(got.values()) == {"hostkey-mismatch"}, f"strict without records: {got}")
    expect(not os.path.exists(db + ".known_hosts"), "strict must not record keys")

    # accept-new with no record: every key accepted and written to Digger's own file only.
    db = os.path.join(tmp, "tofu.db")
    proc = scan(db, inventory)
    got = scanlab.statuses(db)
    expect(set(got.values()) == {"ok"}, f"accept-new first contact: {got}")
    recorded = open(db + ".known_hosts").read().splitlines()
    expect(len([r for r in recorded if r and not r.startswith("#")]) == n,
           f"accept-new recorded {len(recorded)} keys for {n} hosts")
    expect(not os.path.exists(os.path.join(tmp, ".ssh", "known_hosts")), "the user's file was written")

    # A second scan verifies against the recorded keys and records nothing new.
    before = open(db + ".known_hosts").read()
    scan(db, inventory)
    got = scanlab.statuses(db)
    expect(set(got.values()) == {"ok"}, f"second scan: {got}")
    expect(open(db + ".known_hosts").read() == before, "the second scan changed the recorded keys")

    # accept-new against the lab's records: the changed key is an alarm, not a first contact.
    db2 = os.path.join(tmp, "tofu2.db")
    scan(db2, inventory, "--known-hosts", lab_known)
    got = scanlab.statuses(db2)
    expect(got.get(changed_key) == "hostkey-mismatch", f"accept-new + changed key: {got.get(changed_key)}")

    # Tamper with one recorded key: the next scan raises the alarm for that host only.
    lines = before.splitlines(keepends=True)
    victim = next(i for i, l in enumerate(lines) if l.strip() and not l.startswith("#"))
    host_field, key_type, blob = lines[victim].split()[:3]
    other = next(l for l in lines[victim + 1:] if l.strip() and not l.startswith("#")).split()[2]
    lines[victim] = f"{host_field} {key_type} {other}\n"
    open(db + ".known_hosts", "w").writelines(lines)
    scan(db, inventory)
    got = scanlab.statuses(db)
    bad = [k for k, s in got.items() if s == "hostkey-mismatch"]
    expect(len(bad) == 1 and sum(s == "ok" for s in got.values()) == n - 1,
           f"after tampering one record: {got}")

    # @revoked is refused in every mode, --host-key-check off included (OpenSSH does too), and
    # a host known only through @cert-authority is refused with a reason (libssh2 1.10 cannot
    # check host certificates) except with checking off.
    records = [l for l in open(lab_known).read().splitlines() if l.strip()]
    by_host = {l.split()[0]: l for l in records}
    healthy = sorted(k for k in scanlab.statuses(os.path.join(tmp, "strict.db")) if k != changed_key)
    revoked_key = healthy[0]
    revoked_line = by_host[f"[{revoked_key[0]}]:{revoked_key[1]}"]
    key_type, key_blob = revoked_line.split()[1:3]
    same_key = {k for k in healthy if by_host[f"[{k[0]}]:{k[1]}"].split()[2] == key_blob}
    certified = next(k for k in healthy if k not in same_key)
    certified_name = f"[{certified[0]}]:{certified[1]}"
    certified_blob = by_host[certified_name].split()[2]
    hostile_known = os.path.join(tmp, "revoked_known_hosts")
    with open(hostile_known, "w") as f:
        f.writelines(l + "\n" for l in records if l.split()[0] != certified_name)
        f.write(f"@revoked * {key_type} {key_blob}\n")
        f.write(f"@cert-authority {certified_name} {key_type} {key_blob}\n")  # any CA key
    for mode in ("strict", "accept-new", "off"):
        db = os.path.join(tmp, f"revoked-{mode}.db")
        scan(db, inventory, "--host-key-check", mode, "--known-hosts", hostile_known)
        results = scanlab.host_results(db)
        for key in same_key:
            got = results[key]
            expect(got["status"] == "hostkey-mismatch" and "REVOKED" in (got["reason"] or ""),
                   f"{mode}: revoked key of {key}: {got['status']} {got['reason']!r}")
        got = results[certified]
        if mode == "off":
            expect(got["status"] == "ok", f"off: certificate-only host {got['status']} {got['reason']!r}")
        else:
            expect(got["status"] == "hostkey-mismatch"
                   and "host certificate not verifiable" in (got["reason"] or ""),
                   f"{mode}: certificate-only host: {got['status']} {got['reason']!r}")
        others = [k for k in healthy if k not in same_key and k != certified]
        expect(all(results[k]["status"] == "ok" for k in others), f"{mode}: other hosts: "
               f"{[(k, results[k]['status']) for k in others if results[k]['status'] != 'ok']}")
        digger_known = open(db + ".known_hosts").read() if os.path.exists(db + ".known_hosts") else ""
        expect(key_blob not in digger_known and certified_blob not in digger_known,
               f"{mode}: a revoked or CA-only key was recorded")

checks.finish()
