// Name tables: which programs are system utilities, which only prepare or guard the real
// work in a chain, and which consume the output of a pipe.
#include "digger/command/runtime.hpp"
#include "digger/util/enum_names.hpp"

#include <string_view>
#include <unordered_set>

namespace digger::command {
namespace {

using NameSet = std::unordered_set<std::string_view>;

const NameSet& helpers() {
  static const NameSet names = {
      "cd",       "pushd",  "popd",    "test",     "[",      "[[",    "sleep",  "logger",
      "echo",     "printf", "date",    "true",     "false",  ":",     "export", "set",
      "unset",    "source", ".",       "umask",    "ulimit", "exit",  "return", "wait",
      "shift",    "trap",   "mkdir",   "touch",    "type",   "which", "hash",   "pgrep",
      "pidof",    "id",     "whoami",  "hostname", "read",   "let",   "local",  "declare",
      "readonly", "renice", "shopt",   "alias",    "flock",  "lckdo", "mktemp", "basename",
      "dirname",  "uname",  "chronic", "command",  "exec"};
  return names;
}

const NameSet& pipe_sinks() {
  static const NameSet names = {
      "tee",   "logger", "mail", "mailx",  "mutt", "s-nail",  "sendmail", "msmtp", "gzip",
      "bzip2", "xz",     "zstd", "pigz",   "lz4",  "ts",      "grep",     "egrep", "fgrep",
      "sed",   "awk",    "gawk", "mawk",   "head", "tail",    "cat",      "sort",  "uniq",
      "wc",    "cut",    "tr",   "column", "gpg",  "openssl", "split",    "ifne"};
  return names;
}

const NameSet& utilities() {
  static const NameSet names = {
      // files and archives
      "find", "rm", "cp", "mv", "ln", "rmdir", "chmod", "chown", "chgrp", "cat", "tar", "gzip",
      "gunzip", "bzip2", "xz", "zstd", "zip", "unzip", "7z", "pigz", "dd", "sync", "du", "df", "ls",
      "stat", "truncate", "shred", "install", "tmpreaper", "tmpwatch", "savelog", "logrotate",
      "run-parts", "updatedb", "mandb", "makewhatis", "fstrim", "tee", "xargs", "sed", "awk",
      "gawk", "grep", "sort", "uniq", "head", "tail", "wc", "cut", "tr", "split", "split", "gpg",
      "openssl", "md5sum", "sha256sum", "diff", "cmp", "sqlite3",
      // network and transfer
      "curl", "wget", "rsync", "scp", "sftp", "ssh", "lftp", "ftp", "nc", "ping", "fping", "dig",
      "host", "nslookup", "ntpdate", "chronyc", "sntp", "rdate", "aws", "gsutil", "gcloud", "az",
      "s3cmd", "rclone", "restic", "borg", "borgmatic", "duplicity", "duply", "rdiff-backup",
      "rsnapshot", "bacula", "mail", "mailx", "mutt", "sendmail", "msmtp",
      // databases
      "mysqldump", "mysql", "mysqlcheck", "mysqladmin", "mariadb", "mariadb-dump", "mariadb-check",
      "mydumper", "pg_dump", "pg_dumpall", "pg_basebackup", "psql", "vacuumdb", "reindexdb",
      "clusterdb", "pg_repack", "mongodump", "mongorestore", "mongo", "mongosh", "redis-cli",
      "influx", "clickhouse-client", "cqlsh", "xtrabackup", "innobackupex", "mariabackup",
      // system administration
      "systemctl", "service", "journalctl", "apt-get", "apt", "aptitude", "unattended-upgrade",
      "yum", "dnf", "zypper", "apk", "snap", "flatpak", "certbot", "certbot-auto", "letsencrypt",
      "acme.sh", "kill", "pkill", "killall", "reboot", "shutdown", "poweroff", "hwclock", "ntpd",
      "sa1", "sa2", "smartctl", "mdadm", "zfs", "zpool", "btrfs", "lvcreate", "lvremove", "xfs_fsr",
      "e2fsck", "fsck", "quotacheck", "setquota", "repquota", "usermod", "passwd", "chage",
      "iptables", "ip6tables", "nft", "ipset", "fail2ban-client", "freshclam", "clamscan",
      "rkhunter", "chkrootkit", "aide", "lynis", "tripwire", "docker", "docker-compose", "podman",
      "kubectl", "helm", "crontab", "at", "anacron", "sysctl", "swapoff", "swapon", "mount",
      "umount", "nginx", "apachectl", "apache2ctl", "httpd", "postfix", "postqueue", "postsuper",
      "exim", "exim4", "sa-update", "sa-learn", "git", "svn", "make", "htpasswd", "nsupdate",
      "rndc", "varnishadm", "supervisorctl", "ansible-playbook", "ansible", "puppet", "chef-client",
      "salt-call", "ipmitool", "sensors", "vnstat", "logwatch", "goaccess", "awstats", "webalizer",
      "find-debuginfo",
      // builtins and small tools usually seen as helpers
      "echo", "printf", "date", "sleep", "test", "[", "[[", "true", "false", ":", "touch", "mkdir",
      "logger", "cd", "export", "source", ".", "env", "wait", "exit", "kill", "uptime", "free",
      "ps", "top", "vmstat", "iostat", "who", "w", "last", "hostname", "whoami", "id", "nice",
      "ionice", "timeout", "flock", "su", "sudo", "runuser", "pgrep", "pidof", "xargs", "expr",
      "bc", "seq", "basename", "dirname", "realpath", "readlink", "mktemp", "uname", "ts", "column",
      "ifne", "chronic", "exec"};
  return names;
}

constexpr util::EnumNames<Language, Language::unknown> language_names{
    {"shell", "python", "php", "perl", "ruby", "javascript", "java", "go", "binary", "unknown"}};

} // namespace

bool is_helper_command(std::string_view name) {
  return helpers().count(name) != 0;
}
bool is_pipe_sink_command(std::string_view name) {
  return pipe_sinks().count(name) != 0;
}
bool is_known_utility(std::string_view name) {
  return utilities().count(name) != 0;
}

std::string_view language_name(Language language) {
  return language_names.name_of(language, "unknown");
}

} // namespace digger::command
