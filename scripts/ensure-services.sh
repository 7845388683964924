#!/usr/bin/env bash
# Starts PostgreSQL and MariaDB on 127.0.0.1 when they are down (the tests use the real servers).
set -u
wait_for() { # name, command
  for _ in $(seq 1 60); do eval "$2" >/dev/null 2>&1 && { echo "$1: up"; return 0; }; sleep 1; done
  echo "$1: did not come up" >&2; return 1
}
if pg_isready -h 127.0.0.1 -p 5432 >/dev/null 2>&1; then echo "postgresql: up"; else
  echo "postgresql: starting"
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start || true
  wait_for postgresql "pg_isready -h 127.0.0.1 -p 5432" || exit 1
fi
if mysqladmin -h 127.0.0.1 -P 3306 -u root ping >/dev/null 2>&1; then echo "mariadb: up"; else
  echo "mariadb: starting"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd || true
  wait_for mariadb "mysqladmin -h 127.0.0.1 -P 3306 -u root ping" || exit 1
fi
psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1 \
  || psql -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE test" || exit 1
mysql -h 127.0.0.1 -u root -e "CREATE DATABASE IF NOT EXISTS test" || exit 1
