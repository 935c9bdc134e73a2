#!/bin/sh
# Per-user units for the collect lab test, run inside one lab host's own mount namespace (the
# test checks that it differs from the machine's): a tmpfs over /home, alice's timer, service
# and wants link; mallory's ~/.config is a symlink to alice's and must not be followed.
set -e
# Refuses to run anywhere but a lab host, whose /etc is an overlay of its own.
awk '$5 == "/etc" && / - overlay /' /proc/self/mountinfo | grep -q . ||
  { echo "home.sh: /etc is not a lab overlay here: refusing" >&2; exit 1; }
mount -t tmpfs -o mode=755 digger-lab-home /home
d=/home/alice/.config/systemd/user
mkdir -p $d/timers.target.wants /home/mallory
printf '[Timer]\nOnCalendar=hourly\n' > $d/sync.timer
printf '[Service]\nExecStart=/home/alice/bin/sync\n' > $d/sync.service
ln -s $d/sync.timer $d/timers.target.wants/sync.timer
ln -s /home/alice/.config /home/mallory/.config
