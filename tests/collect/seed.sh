#!/bin/sh
# What the collect lab test puts on every lab host, over SSH as root (inside the host's /etc
# overlay and /run tmpfs: nothing on this machine changes).
set -e
# Refuses to run anywhere but a lab host, whose /etc is an overlay of its own.
awk '$5 == "/etc" && / - overlay /' /proc/self/mountinfo | grep -q . ||
  { echo "seed.sh: /etc is not a lab overlay here: refusing" >&2; exit 1; }
umask 022
# "systemd runs" as far as the collector can tell (the host's own /run): systemctl is tried,
# fails here, and must cost nothing but its bonus fact.
mkdir -p /run/systemd/system
mkdir -p /etc/digger-targets /etc/cron.daily /etc/cron.weekly /etc/systemd/user \
  /etc/systemd/system/timers.target.wants
printf '#!/usr/bin/env python3\nprint("report")\n' > /etc/digger-targets/report.py
chmod 755 /etc/digger-targets/report.py
printf '#!/bin/sh\necho hi\n' > /etc/digger-targets/writable.sh
chmod 777 /etc/digger-targets/writable.sh
printf 'SHELL=/bin/sh\n1\t5\tdigger.daily\t/etc/digger-targets/report.py\n' > /etc/anacrontab
cat > /etc/cron.d/digger-jobs <<'EOF'
17 3 * * * root /etc/digger-targets/settle --daily
*/5 * * * * root /etc/digger-targets/report.py
0 1 * * * root /etc/digger-targets/missing --now
30 2 * * * root /etc/digger-targets/writable.sh
EOF
printf '#!/bin/sh\nexec /etc/digger-targets/report.py\n' > /etc/cron.daily/digger-report
chmod 755 /etc/cron.daily/digger-report
printf '#!/bin/sh\n' > /etc/cron.daily/with.dot
chmod 755 /etc/cron.daily/with.dot
printf '#!/bin/sh\n' > /etc/cron.weekly/notexec
chmod 644 /etc/cron.weekly/notexec
head -c 100000 /dev/zero | tr '\0' '#' > /etc/cron.weekly/big
ln -sf /etc/digger-targets/report.py /etc/cron.weekly/linked
printf '[Timer]\nOnCalendar=*-*-* 03:17:00\nPersistent=true\n' > /etc/systemd/system/digger-settle.timer
printf '[Service]\nExecStart=/etc/digger-targets/settle --daily\nUser=app\n' > /etc/systemd/system/digger-settle.service
printf '[Service]\nExecStart=/bin/true\n' > /etc/systemd/system/lonely.service
ln -sf /etc/digger-targets/report.py /etc/systemd/system/linked.timer
ln -sf /etc/systemd/system/digger-settle.timer /etc/systemd/system/timers.target.wants/digger-settle.timer
printf '[Timer]\nOnBootSec=5min\n' > /etc/systemd/user/digger-user.timer
printf '[Service]\nExecStart=%%h/bin/sync\n' > /etc/systemd/user/digger-user.service
