"""A lab of the test's own (tests that need hosts set up their own way: laravel, workers,
evidence, hostile): `lab up` in DIR, the test's check, `lab down` whatever happened.

check(lab_dir) returns its problems (a list, printed as FAIL lines), or ends with SystemExit
(scanlab's Checks.finish) whose code is the test's result. Returns the process exit code:
77 when not root (ctest's SKIP_RETURN_CODE), else 0 only when the check passed and down left
nothing behind.
"""

import os
import subprocess

import test_down

HERE = os.path.dirname(os.path.abspath(__file__))


def run(lab_dir, check, *up_args):
    if os.geteuid() != 0:
        print("lab tests need root; skipping")
        return test_down.SKIP
    lab_dir = os.path.realpath(lab_dir)
    problems, code = [], None
    try:
        rc = subprocess.run([os.path.join(HERE, "lab"), "up", "--dir", lab_dir, *up_args]).returncode
        if rc != 0:
            problems = ["lab up exited %d" % rc]
        else:
            try:
                result = check(lab_dir)
                problems = result if isinstance(result, list) else ["the check ended without a verdict"]
            except SystemExit as done:
                code = done.code if isinstance(done.code, int) else 1
    finally:
        down_rc = test_down.main(lab_dir, [])
    for p in problems:
        print("FAIL: " + p)
    if code is not None:
        return code or down_rc
    return 1 if problems or down_rc else 0
