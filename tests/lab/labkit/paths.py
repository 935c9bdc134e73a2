"""Where a lab keeps its files.

D (the lab directory) holds the outputs, the state and the key cache. The hosts' trees and
logs are thousands of small files: they live on tmpfs under /dev/shm/digger-lab/<id> (D/hosts
and D/logs are symlinks to it), because creating and deleting them on this machine's ext4
(mounted with online discard) costs seconds per hundred hosts; on tmpfs it is nearly free.
"""

import hashlib
import os

SHM = "/dev/shm/digger-lab"


def volatile_root(lab_dir):
    digest = hashlib.sha256(os.path.realpath(lab_dir).encode()).hexdigest()[:16]
    return os.path.join(SHM, digest)
