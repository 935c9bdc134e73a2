#include "digger/secrets/secrets.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace digger::secrets;

namespace {

std::string redacted(std::string_view command) {
  return redact_secrets(command).text;
}

bool has_kind(const Redaction& r, std::string_view kind) {
  return std::find(r.kinds.begin(), r.kinds.end(), kind) != r.kinds.end();
}

} // namespace

TEST_CASE("mysql family: -pSECRET is a password, -p alone prompts", "[cron][secrets]") {
  CHECK(redacted("mysqldump -uroot -pS3cr3t shop > /b/shop.sql") ==
        "mysqldump -uroot -p*** shop > /b/shop.sql");
  // A secret that contains "Pass" is not read as a "-...pass" option taking the next word.
  CHECK(redacted("mysqldump -u backup -pS3cretPass-55b42c users > /b/users.sql") ==
        "mysqldump -u backup -p*** users > /b/users.sql");
  CHECK(redacted("/usr/bin/mysql -h db -p'pa ss' -e 'select 1'") ==
        "/usr/bin/mysql -h db -p'***' -e 'select 1'");
  // -p without a value prompts; the next word is the database, not the password.
  CHECK(redacted("mysql -p shop") == "mysql -p shop");
  CHECK_FALSE(redact_secrets("mysql -p shop").changed());
  CHECK(redacted("mysql --password shop") == "mysql --password shop");
  CHECK(redacted("mariadb-dump --password=hunter2 --all-databases") ==
        "mariadb-dump --password=*** --all-databases");
  CHECK(redacted("mysql -P 3306 -p'x' db") == "mysql -P 3306 -p'***' db");
  const Redaction r = redact_secrets("mysqladmin -pX ping");
  CHECK(r.text == "mysqladmin -p*** ping");
  CHECK(r.kinds == std::vector<std::string>{"password-option"});
}

TEST_CASE("other programs read -p as a port or a path", "[cron][secrets]") {
  CHECK_FALSE(redact_secrets("ssh -p 2222 backup@host /bin/true").changed());
  CHECK_FALSE(redact_secrets("mkdir -p /var/backups/db").changed());
  CHECK_FALSE(redact_secrets("rsync -p -a /src /dst").changed());
  CHECK_FALSE(redact_secrets("psql -p 5432 -U app -c 'vacuum'").changed());
}

TEST_CASE("options whose name says secret, with = or a separate value", "[cron][secrets]") {
  CHECK(redacted("wget --password=abc https://x/f") == "wget --password=*** https://x/f");
  CHECK(redacted("tool --password abc --verbose") == "tool --password *** --verbose");
  CHECK(redacted("tool --token=t0k --api-key k3y --secret 's e c'") ==
        "tool --token=*** --api-key *** --secret '***'");
  CHECK(redacted("wget --http-password=p --ftp-password p2 ftp://h/") ==
        "wget --http-password=*** --ftp-password *** ftp://h/");
  CHECK(redacted("java -Dspring.datasource.password=pw -jar app.jar") ==
        "java -Dspring.datasource.password=*** -jar app.jar");
  CHECK(redacted("tool -password abc") == "tool -password ***");
  // No secret value: flags that prompt, name a file, or come last.
  CHECK_FALSE(redact_secrets("psql --no-password -d app").changed());
  CHECK_FALSE(redact_secrets("tool --password-file /etc/app/pw").changed());
  CHECK_FALSE(redact_secrets("docker login --password-stdin < /root/pw").changed());
  CHECK_FALSE(redact_secrets("curl --key /etc/ssl/client.key https://x").changed());
  CHECK_FALSE(redact_secrets("tool --token").changed());
  CHECK(redacted("tool --token -v") == "tool --token -v");
}

TEST_CASE("environment assignments with secret names", "[cron][secrets]") {
  const Redaction r = redact_secrets("PGPASSWORD=s3cret pg_dump -h db app > /b/app.sql");
  CHECK(r.text == "PGPASSWORD=*** pg_dump -h db app > /b/app.sql");
  CHECK(has_kind(r, "env-assignment"));
  CHECK(redacted("FOO_TOKEN=abc BAR=visible /opt/job") == "FOO_TOKEN=*** BAR=visible /opt/job");
  CHECK(redacted("env MYSQL_PWD=\"a b\" mysql") == "env MYSQL_PWD=\"***\" mysql");
  CHECK(redacted("export API_KEY='k'; /opt/run") == "export API_KEY='***'; /opt/run");
  CHECK(redacted("PASSWORD=$(cat /root/pw) /opt/run") == "PASSWORD=$(cat /root/pw) /opt/run");
  CHECK(redacted("DB_PASS=\"$DB_PASS\" /opt/run") == "DB_PASS=\"$DB_PASS\" /opt/run");
  CHECK(redacted("DB_PASS='$literal' /opt/run") == "DB_PASS='***' /opt/run");
  CHECK_FALSE(redact_secrets("PWD=/srv/app OLDPWD=/ cd $PWD && ./run").changed());
  CHECK_FALSE(redact_secrets("PASSWORD= /opt/run").changed());
}

TEST_CASE("crontab environment lines and redact_env_value", "[cron][secrets]") {
  CHECK(redacted("MYSQL_PWD = secret value") == "MYSQL_PWD = ***");
  CHECK(redacted("SMTP_PASSWORD=\"x y\"") == "SMTP_PASSWORD=\"***\"");
  CHECK(redacted("MAILTO=ops@example.com") == "MAILTO=ops@example.com");
  const Redaction secret = redact_env_value("APP_SECRET", "a b c");
  CHECK(secret.text == "***");
  CHECK(secret.changed());
  CHECK(redact_env_value("TOKEN", "'quoted'").text == "'***'");
  const Redaction dsn = redact_env_value("DATABASE_URL", "postgres://app:pw@db/app");
  CHECK(dsn.text == "postgres://app:***@db/app");
  CHECK(has_kind(dsn, "url-credentials"));
  CHECK_FALSE(redact_env_value("PATH", "/usr/bin:/bin").changed());
  CHECK_FALSE(redact_env_value("PASSWORD", "").changed());
}

TEST_CASE("credentials inside URLs", "[cron][secrets]") {
  CHECK(redacted("pg_dump postgres://app:pw@db:5432/app") ==
        "pg_dump postgres://app:***@db:5432/app");
  CHECK(redacted("psql 'postgresql://u:p%40ss@h/db?sslmode=require'") ==
        "psql 'postgresql://u:***@h/db?sslmode=require'");
  CHECK(redacted("mongodump --uri mongodb+srv://adm:x@c0.example.net/db") ==
        "mongodump --uri mongodb+srv://adm:***@c0.example.net/db");
  CHECK(redacted("redis-cli -u redis://:pw@cache:6379") == "redis-cli -u redis://:***@cache:6379");
  CHECK(redacted("curl -s https://bot:t@api.example.com/hook") ==
        "curl -s https://bot:***@api.example.com/hook");
  CHECK(redacted("lftp ftp://u:p@files/") == "lftp ftp://u:***@files/");
  // A user name alone is not a secret; neither is a port.
  CHECK_FALSE(redact_secrets("git clone ssh://git@host:22/repo").changed());
  CHECK_FALSE(redact_secrets("curl https://example.com:8443/x").changed());
  CHECK(redact_secrets("x mysql://root:pw@db/").kinds ==
        std::vector<std::string>{"url-credentials"});
}

TEST_CASE("secret parameters in URL query strings", "[cron][secrets]") {
  const Redaction r = redact_secrets("curl 'https://h/api?user=a&password=p1&x=1'");
  CHECK(r.text == "curl 'https://h/api?user=a&password=***&x=1'");
  CHECK(has_kind(r, "url-query"));
  CHECK(redacted("wget -q -O- https://h/cron?token=abc") == "wget -q -O- https://h/cron?token=***");
  CHECK(redacted("curl \"https://h/x?a=1&api_key=k&b=2\"") ==
        "curl \"https://h/x?a=1&api_key=***&b=2\"");
  CHECK(redacted("curl 'https://h/x?access_token=t#frag'") ==
        "curl 'https://h/x?access_token=***#frag'");
}

TEST_CASE("curl, smbclient, sshpass, lftp and friends", "[cron][secrets]") {
  CHECK(redacted("curl -u admin:pw https://h/") == "curl -u admin:*** https://h/");
  CHECK(redacted("curl -uadmin:pw https://h/") == "curl -uadmin:*** https://h/");
  CHECK(redacted("curl --user 'admin:p w' https://h/") == "curl --user 'admin:***' https://h/");
  CHECK(redacted("curl -U proxy:pp https://h/") == "curl -U proxy:*** https://h/");
  CHECK_FALSE(redact_secrets("curl -u admin https://h/").changed()); // curl prompts
  CHECK(redacted("smbclient //nas/b -U backup%pw -c 'put f'") ==
        "smbclient //nas/b -U backup%*** -c 'put f'");
  CHECK(redacted("smbclient //nas/b -Ubackup%pw") == "smbclient //nas/b -Ubackup%***");
  CHECK(redacted("smbclient //nas/b --user=backup%pw") == "smbclient //nas/b --user=backup%***");
  CHECK(redacted("sshpass -p 'pw' rsync -a /x h:/y") == "sshpass -p '***' rsync -a /x h:/y");
  CHECK(redacted("sshpass -ppw ssh h") == "sshpass -p*** ssh h");
  CHECK(redacted("lftp -u user,pw sftp://h") == "lftp -u user,*** sftp://h");
  CHECK(redacted("redis-cli -a pw ping") == "redis-cli -a *** ping");
  CHECK(redacted("ldapsearch -x -D cn=admin -w pw") == "ldapsearch -x -D cn=admin -w ***");
  CHECK(redacted("mongodump -u adm -p pw --out /b") == "mongodump -u adm -p *** --out /b");
  CHECK(redacted("zip -P pw -r /b/x.zip /data") == "zip -P *** -r /b/x.zip /data");
  CHECK(redacted("7z a -ppw /b/x.7z /data") == "7z a -p*** /b/x.7z /data");
  CHECK(redacted("ncftpput -u u -p pw h /r f") == "ncftpput -u u -p *** h /r f");
}

TEST_CASE("secret strings in JSON bodies", "[cron][secrets]") {
  CHECK(redacted("curl -d '{\"user\": \"a\", \"password\": \"p w\"}' https://h/") ==
        "curl -d '{\"user\": \"a\", \"password\": \"***\"}' https://h/");
  CHECK(redacted("curl -d \"{\\\"api_token\\\":\\\"t1\\\"}\" h") ==
        "curl -d \"{\\\"api_token\\\":\\\"***\\\"}\" h");
  CHECK(redacted("curl -d '{\"token\":\"a\\\"b\"}' h") == "curl -d '{\"token\":\"***\"}' h");
  CHECK_FALSE(redact_secrets("curl -d '{\"token_ttl\": 300, \"secret\": null}' h").changed());
}

TEST_CASE("htpasswd -b takes the password as an argument", "[cron][secrets]") {
  const Redaction r = redact_secrets("htpasswd -b /etc/nginx/.htpasswd alice pw");
  CHECK(r.text == "htpasswd -b /etc/nginx/.htpasswd alice ***");
  CHECK(r.kinds == std::vector<std::string>{"password-argument"});
  CHECK(redacted("htpasswd -nbB alice pw > /tmp/x") == "htpasswd -nbB alice *** > /tmp/x");
  CHECK(redacted("htpasswd -cbC 10 f alice pw") == "htpasswd -cbC 10 f alice ***");
  CHECK_FALSE(redact_secrets("htpasswd -c /etc/nginx/.htpasswd alice").changed());
}

TEST_CASE("authorization and other secret headers", "[cron][secrets]") {
  const Redaction r = redact_secrets("curl -H 'Authorization: Bearer abc.def' https://h/");
  CHECK(r.text == "curl -H 'Authorization: Bearer ***' https://h/");
  CHECK(r.kinds == std::vector<std::string>{"bearer-token"});
  CHECK(redacted("curl -H \"Authorization: Basic dXNlcjpwdw==\" h") ==
        "curl -H \"Authorization: Basic ***\" h");
  CHECK(redacted("curl --header 'X-Api-Key: k1' h") == "curl --header 'X-Api-Key: ***' h");
  CHECK(redacted("curl -H 'PRIVATE-TOKEN: glx' h") == "curl -H 'PRIVATE-TOKEN: ***' h");
  CHECK(redacted("wget --header='Cookie: sid=1' h") == "wget --header='Cookie: ***' h");
  CHECK(redacted("curl -H \"Authorization: Bearer $TOKEN\" h") ==
        "curl -H \"Authorization: Bearer $TOKEN\" h");
  CHECK(redacted("openssl enc -d -pass pass:pw -in f") == "openssl enc -d -pass pass:*** -in f");
  CHECK_FALSE(redact_secrets("curl -H 'Accept: application/json' https://h/").changed());
  // Where openssl reads the secret from is not the secret.
  CHECK_FALSE(redact_secrets("openssl enc -pass env:PW -in f").changed());
  CHECK_FALSE(redact_secrets("openssl rsa -passin file:/root/pw -in k").changed());
  CHECK(redacted("openssl rsa -passin pass:pw -in k") == "openssl rsa -passin pass:*** -in k");
}

TEST_CASE("AWS keys and self-announcing tokens", "[cron][secrets]") {
  const Redaction r = redact_secrets("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE aws s3 ls");
  CHECK(r.text == "AWS_ACCESS_KEY_ID=AKIA*** aws s3 ls");
  CHECK(r.kinds == std::vector<std::string>{"aws-key"});
  CHECK(redacted("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG aws s3 ls") ==
        "AWS_SECRET_ACCESS_KEY=*** aws s3 ls");
  CHECK(redacted("aws configure set aws_secret_access_key wJalr") ==
        "aws configure set aws_secret_access_key ***");
  CHECK(redacted("echo aws_secret_access_key=abc >> creds") ==
        "echo aws_secret_access_key=*** >> creds");
  CHECK(redacted("git clone https://ghp_0123456789abcdefghij0123@github.com/o/r") ==
        "git clone https://ghp_***@github.com/o/r");
  CHECK(redacted("notify xoxb-1234567890-abc") == "notify xoxb-***");
  // Too short or not at a word boundary: not a key.
  CHECK_FALSE(redact_secrets("echo AKIA1234").changed());
  CHECK_FALSE(redact_secrets("echo XAKIAIOSFODNN7EXAMPLE").changed());
}

TEST_CASE("commands inside quoted strings are read too", "[cron][secrets]") {
  CHECK(redacted("su - app -c \"mysqldump -pX app > /b/a.sql\"") ==
        "su - app -c \"mysqldump -p*** app > /b/a.sql\"");
  CHECK(redacted("ssh h 'sshpass -p pw scp a b:'") == "ssh h 'sshpass -p *** scp a b:'");
  CHECK(redacted("sh -c \"PGPASSWORD=x pg_dump db\"") == "sh -c \"PGPASSWORD=*** pg_dump db\"");
  CHECK(redacted("bash -c 'x=$(mysql -pS -e \"select 1\")'") ==
        "bash -c 'x=$(mysql -p*** -e \"select 1\")'");
  CHECK(redacted("psql \"host=db user=app password=p1 dbname=app\"") ==
        "psql \"host=db user=app password=*** dbname=app\"");
  CHECK(redacted("mount -t cifs //nas/x /mnt -o username=u,password=p,uid=1") ==
        "mount -t cifs //nas/x /mnt -o username=u,password=***,uid=1");
}

TEST_CASE("redaction keeps every other byte and is stable", "[cron][secrets]") {
  const std::string line = "0 3 * * * root\tPGPASSWORD=pw  pg_dump  app |gzip>/b/app.gz # nightly";
  const Redaction r = redact_secrets(line);
  CHECK(r.text == "0 3 * * * root\tPGPASSWORD=***  pg_dump  app |gzip>/b/app.gz # nightly");
  CHECK(redact_secrets(r.text).text == r.text);
  CHECK(redacted("mysql -pX db\r") == "mysql -p*** db\r");
  CHECK(redacted("mysql -pX; mysql -pY") == "mysql -p***; mysql -p***");
  const Redaction two = redact_secrets("PGPASSWORD=a curl -u u:b https://h/?token=c");
  CHECK(two.text == "PGPASSWORD=*** curl -u u:*** https://h/?token=***");
  CHECK(two.kinds == std::vector<std::string>{"env-assignment", "password-option", "url-query"});
  CHECK_FALSE(redact_secrets("").changed());
  CHECK(redacted("") == "");
}

TEST_CASE("broken and hostile input does not crash or leak", "[cron][secrets]") {
  CHECK(redacted("mysql -p'unterminated secret") == "mysql -p***");
  CHECK(redacted("PASSWORD=\"open") == "PASSWORD=***");
  CHECK(redacted("curl -u a:b\\ c h") == "curl -u a:*** h");
  const std::string many(20000, '=');
  CHECK(redacted(many) == many);
  std::string nested = "x";
  for (int i = 0; i < 200; ++i) {
    nested = "sh -c '" + nested + "'";
  }
  CHECK_NOTHROW(redact_secrets(nested));
  const std::string urls = [] {
    std::string s;
    for (int i = 0; i < 5000; ++i) {
      s += "a://";
    }
    return s;
  }();
  CHECK(redacted(urls) == urls);
}

TEST_CASE("secret names: word parts, case-insensitive, with exceptions", "[cron][secrets]") {
  for (const char* name :
       {"PASSWORD", "PGPASSWORD", "db_passwd", "MYSQL_PWD", "SMTP_PASS", "API_KEY", "apiKey",
        "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "CREDENTIALS", "GOOGLE_APPLICATION_CREDENTIAL",
        "PRIVATE_KEY", "ACCESS_KEY", "BASIC_AUTH", "KEY", "ssh.passphrase", "DB_PW"}) {
    INFO(name);
    CHECK(is_secret_name(name));
  }
  for (const char* name :
       {"PWD", "OLDPWD", "PATH", "HOME", "MAILTO", "BYPASS_CACHE", "MONKEY", "PASSWORD_FILE",
        "AWS_ACCESS_KEY_ID", "TOKEN_URL", "SSH_AUTH_SOCK", "KEY_PATH", "USER", "", "_"}) {
    INFO(name);
    CHECK_FALSE(is_secret_name(name));
  }
}

// Issue 14, item 10: the shapes the first redactor missed.
TEST_CASE("a password piped or fed into sudo -S and other stdin readers", "[cron][secrets]") {
  const Redaction r = redact_secrets("echo hunter2 | sudo -S /usr/sbin/reboot");
  CHECK(r.text == "echo *** | sudo -S /usr/sbin/reboot");
  CHECK(has_kind(r, "stdin-secret"));
  CHECK(redacted("echo -n 'pa ss' | sudo -kS -u app /opt/x") ==
        "echo -n '***' | sudo -kS -u app /opt/x");
  CHECK(redacted("printf '%s\\n' hunter2 | sudo --stdin true") ==
        "printf '***' *** | sudo --stdin true");
  CHECK(redacted("echo app:hunter2 | chpasswd") == "echo *** | chpasswd");
  CHECK(redacted("echo hunter2 | passwd --stdin app") == "echo *** | passwd --stdin app");
  CHECK(redacted("echo $TOKEN | docker login -u ci --password-stdin r.example") ==
        "echo $TOKEN | docker login -u ci --password-stdin r.example");
  CHECK(redacted("echo s3cr3t | docker login -u ci --password-stdin r.example") ==
        "echo *** | docker login -u ci --password-stdin r.example");
  CHECK(redacted("sudo -S /opt/x <<< hunter2") == "sudo -S /opt/x <<< ***");
  // Not a secret: sudo without -S, echo into anything else, || is not a pipe.
  CHECK_FALSE(redact_secrets("echo done | sudo tee /var/log/x").changed());
  CHECK_FALSE(redact_secrets("echo hello | logger -t cron").changed());
  CHECK_FALSE(redact_secrets("echo fail || sudo -S true").changed());
  CHECK_FALSE(redact_secrets("sudo -u app /opt/x -S 3").changed()); // -S of the command
}

TEST_CASE("ipmitool -P, docker login -p, snmp communities", "[cron][secrets]") {
  CHECK(redacted("ipmitool -I lanplus -H bmc1 -U admin -P hunter2 chassis status") ==
        "ipmitool -I lanplus -H bmc1 -U admin -P *** chassis status");
  CHECK(redacted("/usr/bin/ipmitool -H bmc1 -Phunter2 sel list") ==
        "/usr/bin/ipmitool -H bmc1 -P*** sel list");
  CHECK(redacted("docker login -u ci -p hunter2 registry.example") ==
        "docker login -u ci -p *** registry.example");
  CHECK(redacted("podman login -phunter2 r.example") == "podman login -p*** r.example");
  CHECK_FALSE(redact_secrets("docker run -p 8080:80 nginx").changed()); // a port
  const Redaction snmp = redact_secrets("snmpwalk -v2c -c n0tpublic sw01 system");
  CHECK(snmp.text == "snmpwalk -v2c -c *** sw01 system");
  CHECK(has_kind(snmp, "snmp-community"));
  CHECK(redacted("snmpget -v1 -cn0tpublic sw01 sysUpTime.0") ==
        "snmpget -v1 -c*** sw01 sysUpTime.0");
  CHECK(redacted("snmpbulkwalk -v3 -u ops -l authPriv -a SHA -A authpw -x AES -X privpw sw01") ==
        "snmpbulkwalk -v3 -u ops -l authPriv -a SHA -A *** -x AES -X *** sw01");
  CHECK_FALSE(redact_secrets("snmpd -c /etc/snmp/snmpd.conf").changed()); // a config file
}

TEST_CASE("inline interpreter code holding a secret", "[cron][secrets]") {
  CHECK(redacted("python3 -c \"PW='hunter2'; import app; app.run(PW)\"") ==
        "python3 -c \"PW='***'; import app; app.run(PW)\"");
  CHECK(redacted("python3 -c \"PW=hunter2\"") == "python3 -c \"PW=***\"");
  CHECK(redacted("python3 -c 'db_password = \"hunter2\"; go()'") ==
        "python3 -c 'db_password = \"***\"; go()'");
  CHECK(redacted("perl -e '$token=\"hunter2\"; run()'") == "perl -e '$token=\"***\"; run()'");
}

TEST_CASE("cron's stdin: whole for stdin readers, the cut half of user%password",
          "[cron][secrets]") {
  // `30 2 * * * sudo -S /opt/x %hunter2%`: cron feeds "hunter2\n" to sudo.
  CHECK(reads_secret_from_stdin("sudo -S /opt/x"));
  CHECK_FALSE(reads_secret_from_stdin("/opt/report.sh"));
  const Redaction whole = redact_job_input("sudo -S /opt/x", "hunter2\n");
  CHECK(whole.text == "***\n");
  CHECK(has_kind(whole, "stdin-secret"));
  // `smbclient //nas/s -U backup%hunter2 -c ls`: cron cut the line at the '%'.
  const Redaction cut = redact_job_input("smbclient //nas/s -U backup", "hunter2 -c ls");
  CHECK(cut.text == "*** -c ls");
  CHECK(redact_job_input("mail -s report ops", "all done\n").text == "all done\n");
  CHECK_FALSE(redact_job_input("mail -s report ops", "all done\n").changed());
  // A secret inside the input on its own is found too.
  CHECK(redact_job_input("/opt/x", "mysql -phunter2 db\n").text == "mysql -p*** db\n");
}
