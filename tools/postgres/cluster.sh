# A throwaway PostgreSQL server for the tests: `source tools/postgres/cluster.sh; pg_test_start DIR` initialises a cluster
# in DIR, starts it on a free loopback port (trust authentication, user ampstack) and exports AMPSTACK_TEST_POSTGRES, a
# connection string for it; `pg_test_stop` stops it. As root it runs the server as the postgres user (initdb refuses
# root). Installs Debian's postgresql when no server binaries are found.

pg_test_bindir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$dir" ] || [ ! -x "$dir/initdb" ]; then
    local sudo_cmd=""; [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq postgresql >/dev/null >&2
    dir="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
  fi
  echo "$dir"
}

pg_test_as_owner() {  # runs a command as the cluster's owner
  if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}

pg_test_start() {
  local root="$1" bin port
  bin="$(pg_test_bindir)" || return 1
  port=$((30000 + RANDOM % 20000))
  mkdir -p "$root"
  [ "$(id -u)" -eq 0 ] && chown postgres "$root"
  pg_test_as_owner "'$bin/initdb' -D '$root/data' -U ampstack --auth=trust -E UTF8 --no-sync >'$root/initdb.log' 2>&1" || {
    cat "$root/initdb.log" >&2; return 1; }
  # A random port may be taken (another server, a client's ephemeral port): a few more are tried when it was.
  local tries=0
  until pg_test_as_owner "'$bin/pg_ctl' -D '$root/data' -w -l '$root/server.log' -o \"-p $port -k '$root' -c listen_addresses=127.0.0.1 -c max_connections=200\" start >/dev/null"; do
    tries=$((tries + 1))
    if [ "$tries" -ge 5 ] || ! grep -q "Address already in use" "$root/server.log"; then
      cat "$root/server.log" >&2; return 1
    fi
    port=$((30000 + RANDOM % 20000))
  done
  PG_TEST_ROOT="$root"
  PG_TEST_BIN="$bin"
  export AMPSTACK_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=ampstack;Database=ampstack"
}

pg_test_stop() {
  [ -n "${PG_TEST_ROOT:-}" ] || return 0
  pg_test_as_owner "'$PG_TEST_BIN/pg_ctl' -D '$PG_TEST_ROOT/data' -m fast -w stop >/dev/null 2>&1" || true
  rm -rf "$PG_TEST_ROOT"
  PG_TEST_ROOT=""
}
