#!/usr/bin/env bash
# Throwaway PostgreSQL 15 and MariaDB 10.11 servers for the test suite.
#
#   scripts/test-databases.sh start     start both (installs them first when missing and run as root)
#   scripts/test-databases.sh stop      stop both and delete their data directories
#   scripts/test-databases.sh status    say what runs; exit 0 only when both are up
#   scripts/test-databases.sh env       print the export lines the tests read (INCIDENT_SDK_*)
#
# Used by the test JVMs (io.incidentsdk.jdbc.testing.TestDatabases) when INCIDENT_SDK_PG_URL and
# INCIDENT_SDK_MARIADB_URL are not set:
#   scripts/test-databases.sh lease PID     like start, and remember that process PID uses the servers
#   scripts/test-databases.sh release PID   forget PID; stop the servers when a lease started them and
#                                           no living process holds a lease any more
#
# Settings (environment): INCIDENT_SDK_DB_DIR (default /tmp/incident-sdk-db), INCIDENT_SDK_PG_PORT
# (default 55432), INCIDENT_SDK_MARIADB_PORT (default 53306), INCIDENT_SDK_MARIADB_LOCK_WAIT_TIMEOUT
# (seconds, default 50 as in a stock server), INCIDENT_SDK_PG_BIN (default /usr/lib/postgresql/15/bin).
set -euo pipefail

BASE_DIR="${INCIDENT_SDK_DB_DIR:-/tmp/incident-sdk-db}"
PG_PORT="${INCIDENT_SDK_PG_PORT:-55432}"
MARIADB_PORT="${INCIDENT_SDK_MARIADB_PORT:-53306}"
MARIADB_LOCK_WAIT_TIMEOUT="${INCIDENT_SDK_MARIADB_LOCK_WAIT_TIMEOUT:-50}"
PG_BIN="${INCIDENT_SDK_PG_BIN:-/usr/lib/postgresql/15/bin}"

PG_DIR="$BASE_DIR/pg-$PG_PORT"
MARIADB_DIR="$BASE_DIR/mariadb-$MARIADB_PORT"
MARIADB_SOCKET="$MARIADB_DIR/mariadbd.sock"
MARIADB_PID_FILE="$MARIADB_DIR/mariadbd.pid"
MARIADB_LOG="$MARIADB_DIR/mariadbd.log"
PG_LOG="$PG_DIR/postgresql.log"
LEASE_DIR="$BASE_DIR/leases-$PG_PORT-$MARIADB_PORT"
AUTO_MARKER="$BASE_DIR/started-by-lease-$PG_PORT-$MARIADB_PORT"
READY_MARKER=".incident-sdk-ready"

# The application role/user and the extra accounts the tests use.
APP_USER=app
APP_PASSWORD=app
APP_DB=app
NOPROC_USER=app_noproc
NOPROC_PASSWORD=app
PG_SUPERUSER=postgres
PG_SUPERUSER_PASSWORD=postgres

READY_TIMEOUT_SECONDS=30
STOP_TIMEOUT_SECONDS=20

log() { printf '[test-databases] %s\n' "$*"; }
fail() {
  printf '[test-databases] ERROR: %s\n' "$*" >&2
  exit 1
}
is_root() { [ "$(id -u)" -eq 0 ]; }

# Prints the last lines of a server log to stderr (for failures).
log_tail() {
  local file="$1"
  if [ -f "$file" ]; then
    printf '[test-databases] --- last lines of %s ---\n' "$file" >&2
    tail -n 40 "$file" >&2 || true
    printf '[test-databases] --- end of %s ---\n' "$file" >&2
  else
    printf '[test-databases] (no log at %s)\n' "$file" >&2
  fi
}

check_settings() {
  [[ "$PG_PORT" =~ ^[0-9]+$ && "$MARIADB_PORT" =~ ^[0-9]+$ ]] ||
    fail "INCIDENT_SDK_PG_PORT and INCIDENT_SDK_MARIADB_PORT must be numbers (got '$PG_PORT', '$MARIADB_PORT')"
  [[ "$MARIADB_LOCK_WAIT_TIMEOUT" =~ ^[0-9]+$ ]] ||
    fail "INCIDENT_SDK_MARIADB_LOCK_WAIT_TIMEOUT must be a number of seconds (got '$MARIADB_LOCK_WAIT_TIMEOUT')"
  [ "$PG_PORT" != "$MARIADB_PORT" ] || fail "INCIDENT_SDK_PG_PORT and INCIDENT_SDK_MARIADB_PORT must differ"
  case "$BASE_DIR" in
    /*) ;;
    *) fail "INCIDENT_SDK_DB_DIR must be an absolute path (got '$BASE_DIR')" ;;
  esac
  # Unix socket paths are limited to 107 bytes.
  [ "${#MARIADB_SOCKET}" -lt 100 ] && [ "${#PG_DIR}" -lt 90 ] ||
    fail "INCIDENT_SDK_DB_DIR '$BASE_DIR' is too long for Unix socket paths; use a short directory such as /tmp/incident-sdk-db"
}

# Runs a command as the OS user that owns a server's files: that user when we are root, ourselves otherwise.
as_user() {
  local user="$1"
  shift
  if is_root; then
    runuser -u "$user" -- "$@"
  else
    "$@"
  fi
}

ensure_base_dir() {
  mkdir -p "$BASE_DIR" "$LEASE_DIR"
  if is_root; then
    # the postgres and mysql users must reach their data directories
    chmod 755 "$BASE_DIR"
    local dir="$BASE_DIR"
    while [ "$dir" != "/" ]; do
      dir="$(dirname "$dir")"
      if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
        fail "the postgres OS user cannot enter $dir (a parent of INCIDENT_SDK_DB_DIR=$BASE_DIR); use a directory under /tmp"
      fi
    done
  fi
}

# ----------------------------------------------------------------------------------------------
# installation

apt_install() {
  is_root || return 1
  command -v apt-get >/dev/null 2>&1 || return 1
  log "installing $* (apt-get)"
  if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >"$BASE_DIR/apt.log" 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get update >>"$BASE_DIR/apt.log" 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$@" >>"$BASE_DIR/apt.log" 2>&1 || {
      log_tail "$BASE_DIR/apt.log"
      return 1
    }
  fi
}

ensure_postgres_installed() {
  if [ ! -x "$PG_BIN/initdb" ] || [ ! -x "$PG_BIN/pg_ctl" ] || ! command -v psql >/dev/null 2>&1; then
    apt_install postgresql postgresql-client || true
  fi
  [ -x "$PG_BIN/initdb" ] && [ -x "$PG_BIN/pg_ctl" ] ||
    fail "PostgreSQL 15 server binaries are missing in $PG_BIN. Install them (Debian/Ubuntu: 'sudo apt-get install postgresql-15', or run this script as root to do it), or point INCIDENT_SDK_PG_BIN at a PostgreSQL 15 bin directory."
  command -v psql >/dev/null 2>&1 ||
    fail "psql is missing. Install it (Debian/Ubuntu: 'sudo apt-get install postgresql-client')."
  if is_root && ! id postgres >/dev/null 2>&1; then
    log "creating the postgres OS user"
    useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
}

ensure_mariadb_installed() {
  if ! command -v mariadbd >/dev/null 2>&1 && [ ! -x /usr/sbin/mariadbd ]; then
    apt_install mariadb-server mariadb-client || true
  fi
  if ! command -v mariadb-install-db >/dev/null 2>&1 || ! command -v mariadb >/dev/null 2>&1 ||
    ! command -v mariadb-admin >/dev/null 2>&1; then
    apt_install mariadb-client mariadb-server || true
  fi
  mariadbd_path >/dev/null ||
    fail "mariadbd (MariaDB 10.11 server) is missing. Install it (Debian/Ubuntu: 'sudo apt-get install --no-install-recommends mariadb-server mariadb-client', or run this script as root to do it)."
  command -v mariadb-install-db >/dev/null 2>&1 && command -v mariadb >/dev/null 2>&1 &&
    command -v mariadb-admin >/dev/null 2>&1 ||
    fail "mariadb-install-db, mariadb or mariadb-admin is missing. Install them (Debian/Ubuntu: 'sudo apt-get install --no-install-recommends mariadb-server mariadb-client')."
  if is_root && ! id mysql >/dev/null 2>&1; then
    log "creating the mysql OS user"
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin mysql
  fi
}

mariadbd_path() {
  if command -v mariadbd >/dev/null 2>&1; then
    command -v mariadbd
  elif [ -x /usr/sbin/mariadbd ]; then
    echo /usr/sbin/mariadbd
  else
    return 1
  fi
}

# ----------------------------------------------------------------------------------------------
# PostgreSQL

pg_running() {
  [ -f "$PG_DIR/postmaster.pid" ] && [ -x "$PG_BIN/pg_ctl" ] &&
    as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" status >/dev/null 2>&1
}

pg_psql() {
  as_user postgres psql -X -q -v ON_ERROR_STOP=1 -h "$PG_DIR" -p "$PG_PORT" -U "$PG_SUPERUSER" -d postgres
}

start_postgres() {
  ensure_postgres_installed
  if pg_running; then
    if [ -f "$PG_DIR/$READY_MARKER" ]; then
      log "PostgreSQL already runs on 127.0.0.1:$PG_PORT ($PG_DIR)"
      return 0
    fi
    stop_postgres_server
  fi
  if [ -d "$PG_DIR" ] && [ ! -f "$PG_DIR/$READY_MARKER" ]; then
    # a half-made cluster from an interrupted start
    rm -rf "$PG_DIR"
  fi
  port_free "$PG_PORT" || fail "port $PG_PORT is taken by another process; set INCIDENT_SDK_PG_PORT to a free port"
  local fresh=false
  if [ ! -d "$PG_DIR" ]; then
    fresh=true
    mkdir -p "$PG_DIR"
    chmod 700 "$PG_DIR"
    is_root && chown postgres:postgres "$PG_DIR"
    local pwfile="$BASE_DIR/.pg-superuser-password"
    printf '%s\n' "$PG_SUPERUSER_PASSWORD" >"$pwfile"
    is_root && chown postgres "$pwfile"
    chmod 600 "$pwfile"
    if ! as_user postgres "$PG_BIN/initdb" -D "$PG_DIR" -U "$PG_SUPERUSER" --pwfile="$pwfile" \
      --auth-local=trust --auth-host=scram-sha-256 --no-sync --encoding=UTF8 --locale=C \
      >"$BASE_DIR/pg-initdb.log" 2>&1; then
      rm -f "$pwfile"
      log_tail "$BASE_DIR/pg-initdb.log"
      fail "initdb failed for $PG_DIR"
    fi
    rm -f "$pwfile"
    mv "$BASE_DIR/pg-initdb.log" "$PG_DIR/initdb.log"
  fi
  if ! as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -l "$PG_LOG" -w -t "$READY_TIMEOUT_SECONDS" start -o \
    "-c listen_addresses=127.0.0.1 -p $PG_PORT -c unix_socket_directories='$PG_DIR' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c deadlock_timeout=100ms -c max_connections=200" \
    >/dev/null 2>&1 9>&-; then
    log_tail "$PG_LOG"
    fail "PostgreSQL did not start on 127.0.0.1:$PG_PORT within ${READY_TIMEOUT_SECONDS}s"
  fi
  if $fresh || [ ! -f "$PG_DIR/$READY_MARKER" ]; then
    if ! pg_psql >"$PG_DIR/setup.log" 2>&1 <<SQL; then
CREATE ROLE $APP_USER LOGIN NOSUPERUSER NOCREATEROLE PASSWORD '$APP_PASSWORD';
CREATE DATABASE $APP_DB OWNER $APP_USER;
-- lets the app role end other sessions (pg_terminate_backend) without being a superuser
GRANT pg_signal_backend TO $APP_USER;
SQL
      log_tail "$PG_DIR/setup.log"
      log_tail "$PG_LOG"
      fail "creating role and database '$APP_DB' in PostgreSQL failed"
    fi
    touch "$PG_DIR/$READY_MARKER"
  fi
  log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') runs on 127.0.0.1:$PG_PORT ($PG_DIR)"
}

stop_postgres_server() {
  if pg_running; then
    as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m fast -w -t "$STOP_TIMEOUT_SECONDS" stop >/dev/null 2>&1 ||
      as_user postgres "$PG_BIN/pg_ctl" -D "$PG_DIR" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  if [ -f "$PG_DIR/postmaster.pid" ]; then
    local pid
    pid="$(head -n 1 "$PG_DIR/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && pid_is_alive "$pid" && grep -q postgres "/proc/$pid/comm" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
}

stop_postgres() {
  stop_postgres_server
  if [ -d "$PG_DIR" ]; then
    rm -rf "$PG_DIR"
    log "PostgreSQL stopped, $PG_DIR removed"
  fi
}

# ----------------------------------------------------------------------------------------------
# MariaDB

mariadb_pid() {
  local pid
  [ -f "$MARIADB_PID_FILE" ] || return 1
  pid="$(cat "$MARIADB_PID_FILE" 2>/dev/null || true)"
  [ -n "$pid" ] && pid_is_alive "$pid" && grep -q -E 'mariadbd|mysqld' "/proc/$pid/comm" 2>/dev/null || return 1
  echo "$pid"
}

mariadb_ping() {
  mariadb-admin --no-defaults --socket="$MARIADB_SOCKET" -u root --connect-timeout=2 ping >/dev/null 2>&1
}

mariadb_running() {
  mariadb_pid >/dev/null && mariadb_ping
}

mariadb_sql() {
  mariadb --no-defaults --socket="$MARIADB_SOCKET" -u root "$@"
}

start_mariadb() {
  ensure_mariadb_installed
  if mariadb_running; then
    if [ -f "$MARIADB_DIR/$READY_MARKER" ]; then
      log "MariaDB already runs on 127.0.0.1:$MARIADB_PORT ($MARIADB_DIR)"
      return 0
    fi
    stop_mariadb_server
  fi
  if [ -d "$MARIADB_DIR" ] && [ ! -f "$MARIADB_DIR/$READY_MARKER" ]; then
    stop_mariadb_server
    rm -rf "$MARIADB_DIR"
  fi
  port_free "$MARIADB_PORT" || fail "port $MARIADB_PORT is taken by another process; set INCIDENT_SDK_MARIADB_PORT to a free port"
  local fresh=false user_opts=()
  if is_root; then
    user_opts=(--user=mysql)
  fi
  if [ ! -d "$MARIADB_DIR" ]; then
    fresh=true
    mkdir -p "$MARIADB_DIR"
    chmod 700 "$MARIADB_DIR"
    is_root && chown mysql:mysql "$MARIADB_DIR"
    if ! mariadb-install-db --no-defaults --datadir="$MARIADB_DIR" "${user_opts[@]}" \
      --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
      >"$BASE_DIR/mariadb-install-db.log" 2>&1; then
      log_tail "$BASE_DIR/mariadb-install-db.log"
      fail "mariadb-install-db failed for $MARIADB_DIR"
    fi
    mv "$BASE_DIR/mariadb-install-db.log" "$MARIADB_DIR/install-db.log"
  fi
  # setsid + nohup: the server must outlive this script and the JVM that may have run it
  setsid nohup "$(mariadbd_path)" --no-defaults --datadir="$MARIADB_DIR" "${user_opts[@]}" \
    --bind-address=127.0.0.1 --port="$MARIADB_PORT" --socket="$MARIADB_SOCKET" \
    --pid-file="$MARIADB_PID_FILE" --log-error="$MARIADB_LOG" \
    --skip-log-bin --skip-name-resolve --innodb-flush-log-at-trx-commit=0 \
    --innodb-lock-wait-timeout="$MARIADB_LOCK_WAIT_TIMEOUT" --max-connections=200 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci \
    --innodb-buffer-pool-size=64M \
    </dev/null >>"$MARIADB_DIR/mariadbd.out" 2>&1 9>&- &
  local server_pid=$! waited=0
  until mariadb_ping; do
    if ! kill -0 "$server_pid" 2>/dev/null; then
      log_tail "$MARIADB_LOG"
      fail "mariadbd exited while starting on 127.0.0.1:$MARIADB_PORT"
    fi
    if [ "$waited" -ge $((READY_TIMEOUT_SECONDS * 10)) ]; then
      log_tail "$MARIADB_LOG"
      kill -KILL "$server_pid" 2>/dev/null || true
      fail "MariaDB did not answer on $MARIADB_SOCKET within ${READY_TIMEOUT_SECONDS}s"
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  if $fresh || [ ! -f "$MARIADB_DIR/$READY_MARKER" ]; then
    if ! mariadb_sql >"$MARIADB_DIR/setup.log" 2>&1 <<SQL; then
CREATE DATABASE IF NOT EXISTS $APP_DB CHARACTER SET utf8mb4;
CREATE USER IF NOT EXISTS '$APP_USER'@'127.0.0.1' IDENTIFIED BY '$APP_PASSWORD';
CREATE USER IF NOT EXISTS '$APP_USER'@'%' IDENTIFIED BY '$APP_PASSWORD';
GRANT ALL PRIVILEGES ON $APP_DB.* TO '$APP_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON $APP_DB.* TO '$APP_USER'@'%';
-- the SDK reads SHOW ENGINE INNODB STATUS, which needs PROCESS
GRANT PROCESS ON *.* TO '$APP_USER'@'127.0.0.1';
GRANT PROCESS ON *.* TO '$APP_USER'@'%';
CREATE USER IF NOT EXISTS '$NOPROC_USER'@'127.0.0.1' IDENTIFIED BY '$NOPROC_PASSWORD';
CREATE USER IF NOT EXISTS '$NOPROC_USER'@'%' IDENTIFIED BY '$NOPROC_PASSWORD';
GRANT ALL PRIVILEGES ON $APP_DB.* TO '$NOPROC_USER'@'127.0.0.1';
GRANT ALL PRIVILEGES ON $APP_DB.* TO '$NOPROC_USER'@'%';
FLUSH PRIVILEGES;
SQL
      log_tail "$MARIADB_DIR/setup.log"
      log_tail "$MARIADB_LOG"
      fail "creating database and users '$APP_USER', '$NOPROC_USER' in MariaDB failed"
    fi
    touch "$MARIADB_DIR/$READY_MARKER"
  fi
  log "MariaDB $(mariadb_sql -N -B -e 'SELECT VERSION()' 2>/dev/null || echo '?') runs on 127.0.0.1:$MARIADB_PORT ($MARIADB_DIR)"
}

stop_mariadb_server() {
  local pid
  pid="$(mariadb_pid)" || return 0
  # the data is thrown away: skip the clean InnoDB shutdown work
  mariadb_sql -e 'SET GLOBAL innodb_fast_shutdown = 2' >/dev/null 2>&1 || true
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while pid_is_alive "$pid"; do
    if [ "$waited" -ge $((STOP_TIMEOUT_SECONDS * 10)) ]; then
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
}

stop_mariadb() {
  stop_mariadb_server
  if [ -d "$MARIADB_DIR" ]; then
    rm -rf "$MARIADB_DIR"
    log "MariaDB stopped, $MARIADB_DIR removed"
  fi
}

# ----------------------------------------------------------------------------------------------
# helpers

pid_is_alive() {
  local pid="$1"
  [ -n "$pid" ] && [ -d "/proc/$pid" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$pid/status" 2>/dev/null
}

port_free() {
  local port="$1"
  if command -v ss >/dev/null 2>&1; then
    if ss -H -ltn "sport = :$port" 2>/dev/null | grep -q .; then
      return 1
    fi
  elif (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 1
  fi
  return 0
}

# Serialises start/stop/lease/release between concurrent callers (several test JVMs, a developer).
# The servers are started with fd 9 closed so that they do not hold the lock after this script ends.
with_lock() {
  mkdir -p "$BASE_DIR"
  exec 9>"$BASE_DIR/.lock"
  if command -v flock >/dev/null 2>&1; then
    flock -w 120 9 || fail "another test-databases.sh call holds $BASE_DIR/.lock for more than 120s"
  fi
  "$@"
}

print_env() {
  cat <<ENV
export INCIDENT_SDK_PG_URL='jdbc:postgresql://127.0.0.1:$PG_PORT/$APP_DB'
export INCIDENT_SDK_PG_USER='$APP_USER'
export INCIDENT_SDK_PG_PASSWORD='$APP_PASSWORD'
export INCIDENT_SDK_PG_ADMIN_USER='$PG_SUPERUSER'
export INCIDENT_SDK_PG_ADMIN_PASSWORD='$PG_SUPERUSER_PASSWORD'
export INCIDENT_SDK_MARIADB_URL='jdbc:mariadb://127.0.0.1:$MARIADB_PORT/$APP_DB'
export INCIDENT_SDK_MARIADB_USER='$APP_USER'
export INCIDENT_SDK_MARIADB_PASSWORD='$APP_PASSWORD'
export INCIDENT_SDK_MARIADB_NOPROC_USER='$NOPROC_USER'
export INCIDENT_SDK_MARIADB_NOPROC_PASSWORD='$NOPROC_PASSWORD'
ENV
}

do_start() {
  ensure_base_dir
  start_postgres
  start_mariadb
}

do_stop() {
  stop_postgres
  stop_mariadb
  rm -rf "$LEASE_DIR"
  rm -f "$AUTO_MARKER" "$BASE_DIR/apt.log"
}

do_status() {
  local rc=0
  if pg_running; then
    log "PostgreSQL runs on 127.0.0.1:$PG_PORT ($PG_DIR)"
  else
    log "PostgreSQL does not run (port $PG_PORT)"
    rc=1
  fi
  if mariadb_running; then
    log "MariaDB runs on 127.0.0.1:$MARIADB_PORT ($MARIADB_DIR)"
  else
    log "MariaDB does not run (port $MARIADB_PORT)"
    rc=1
  fi
  if [ -d "$LEASE_DIR" ] && [ -n "$(ls -A "$LEASE_DIR" 2>/dev/null)" ]; then
    log "leased by test processes: $(find "$LEASE_DIR" -mindepth 1 -printf '%f ')"
  fi
  return "$rc"
}

prune_leases() {
  local lease
  [ -d "$LEASE_DIR" ] || return 0
  for lease in "$LEASE_DIR"/*; do
    [ -e "$lease" ] || continue
    pid_is_alive "$(basename "$lease")" || rm -f "$lease"
  done
}

do_lease() {
  local pid="$1"
  prune_leases
  if [ -z "$(ls -A "$LEASE_DIR" 2>/dev/null)" ] && ! { pg_running && mariadb_running; }; then
    touch "$AUTO_MARKER"
  fi
  do_start
  mkdir -p "$LEASE_DIR"
  touch "$LEASE_DIR/$pid"
}

do_release() {
  local pid="$1"
  rm -f "$LEASE_DIR/$pid"
  prune_leases
  if [ -f "$AUTO_MARKER" ] && [ -z "$(ls -A "$LEASE_DIR" 2>/dev/null)" ]; then
    do_stop
  fi
}

usage() {
  echo "usage: $0 start|stop|status|env   (lease PID|release PID are for the test JVMs)" >&2
  exit 2
}

main() {
  [ $# -ge 1 ] || usage
  check_settings
  case "$1" in
    start)
      # a developer's explicit start keeps the servers up after the test JVMs end
      with_lock do_start
      rm -f "$AUTO_MARKER"
      ;;
    stop) with_lock do_stop ;;
    status) do_status ;;
    env) print_env ;;
    lease)
      [ $# -eq 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || usage
      with_lock do_lease "$2"
      ;;
    release)
      [ $# -eq 2 ] && [[ "$2" =~ ^[0-9]+$ ]] || usage
      with_lock do_release "$2"
      ;;
    *) usage ;;
  esac
}

main "$@"
