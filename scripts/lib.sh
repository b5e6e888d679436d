# shellcheck shell=bash
# lib.sh: shell functions shared by the tests, scripts/demo and the benchmarks
# (sourced by bash). It starts private, throw-away services: each one in its
# own session (setsid) so that stopping its process group also stops its
# children (fcgiwrap's preforked workers, later Dovecot's), on 127.0.0.1 only,
# with every file under a directory the caller owns. It never touches a
# system-wide instance and never kills anything it did not start.
#
# Scripts that source it must not enable job control (set -m): setsid then
# forks and the recorded pid would not be the process group.

PATH=$PATH:/usr/sbin:/sbin	# nginx, fcgiwrap live in sbin

QA_SVC_NAMES=()	# services started by svc_start, in start order
QA_SVC_PIDS=()	# their pids, each also its process group id
QA_SVC_LOGS=()	# their stdout+stderr files

qa_die() {	# qa_die MESSAGE: print to stderr and fail
	echo "error: $*" >&2
	return 1
}

qa_now_ms() {	# milliseconds since the epoch, without forking
	local t=${EPOCHREALTIME//[!0-9]/}
	echo $((t / 1000))
}

# ---------------------------------------------------------------- packages

ensure_packages() {	# ensure_packages PKG...: apt-get install those not installed
	local pkg absent=()
	for pkg in "$@"; do
		dpkg -s "$pkg" 2>/dev/null | grep -q '^Status: install ok installed' ||
			absent+=("$pkg")
	done
	[ ${#absent[@]} -eq 0 ] && return 0
	if [ "$(id -u)" -ne 0 ]; then
		qa_die "missing packages: ${absent[*]} (install them, or run this as root)"
		return 1
	fi
	echo "installing ${absent[*]}" >&2
	local log
	log=$(mktemp /tmp/qa-apt.XXXXXX)
	if DEBIAN_FRONTEND=noninteractive apt-get update -q >"$log" 2>&1 &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
			-o Dpkg::Options::=--force-confdef \
			-o Dpkg::Options::=--force-confold "${absent[@]}" >>"$log" 2>&1; then
		rm -f "$log"
		return 0
	fi
	tail -n 30 "$log" >&2
	rm -f "$log"
	qa_die "apt-get install ${absent[*]} failed"
}

# ---------------------------------------------------------------- ports

free_ports() {	# free_ports N: print N free TCP ports on 127.0.0.1, one per line
	# Bind them all at once (so they differ), read the numbers, close.
	# Another process may take one before we use it: callers retry once.
	perl -MIO::Socket::INET -e '
		my @s = map { IO::Socket::INET->new(LocalAddr => "127.0.0.1",
			LocalPort => 0, Listen => 1) or die "bind: $!\n" } 1 .. $ARGV[0];
		print $_->sockport, "\n" for @s;' "${1:-1}"
}

# ---------------------------------------------------------------- services

svc_start() {	# svc_start NAME LOGFILE CMD...: run CMD in its own session
	local name=$1 log=$2
	shift 2
	case $- in *m*) qa_die "svc_start: job control (set -m) is on"; return 1 ;; esac
	setsid "$@" </dev/null >"$log" 2>&1 &
	QA_SVC_NAMES+=("$name")
	QA_SVC_PIDS+=("$!")
	QA_SVC_LOGS+=("$log")
}

svc_pid() {	# svc_pid NAME: print the pid (= process group) of service NAME
	local i
	for i in "${!QA_SVC_NAMES[@]}"; do
		[ "${QA_SVC_NAMES[$i]}" = "$1" ] && { echo "${QA_SVC_PIDS[$i]}"; return 0; }
	done
	return 1
}

svc_alive() {	# svc_alive NAME: is the service's first process still running?
	local pid state
	pid=$(svc_pid "$1") || return 1
	# A dead child stays a zombie until bash reaps it: kill -0 would succeed.
	state=$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null) || return 1
	[ -n "$state" ] && [ "$state" != Z ]
}

svc_all_alive() {	# svc_all_alive: succeed if every started service still runs
	local name
	for name in "${QA_SVC_NAMES[@]}"; do
		svc_alive "$name" || { echo "service $name has exited" >&2; return 1; }
	done
}

svc_bind_failed() {	# svc_bind_failed: has a service logged that its port was taken?
	# (nginx would retry for 2 s before exiting: give up at once instead.)
	[ ${#QA_SVC_LOGS[@]} -gt 0 ] && grep -q -s 'Address already in use' "${QA_SVC_LOGS[@]}"
}

svc_logs() {	# svc_logs [PREFIX]: print every service's log, each line prefixed
	local i prefix=${1-}
	for i in "${!QA_SVC_NAMES[@]}"; do
		echo "${prefix}--- ${QA_SVC_NAMES[$i]} (${QA_SVC_LOGS[$i]})"
		[ -f "${QA_SVC_LOGS[$i]}" ] && sed "s/^/${prefix}/" "${QA_SVC_LOGS[$i]}" | tail -n 60
	done
	return 0
}

svc_group_alive() {	# svc_group_alive PGID: does a live (non-zombie) process remain in it?
	local stat line fields
	for stat in /proc/[0-9]*/stat; do
		read -r line 2>/dev/null <"$stat" || continue
		# "pid (comm) state ppid pgrp ...": comm may hold spaces and ")"
		read -r -a fields <<<"${line##*) }"
		[ "${fields[2]}" = "$1" ] && [ "${fields[0]}" != Z ] && return 0
	done
	return 1
}

svc_stop_groups() {	# svc_stop_groups PGID...: TERM the groups, KILL after 1 s
	local pid deadline alive
	[ $# -eq 0 ] && return 0
	# Also each pid itself: a service stopped right after svc_start may not
	# have made its group yet (setsid not run), and the group kill misses it.
	for pid in "$@"; do
		kill -TERM -- "-$pid" "$pid" 2>/dev/null || true
	done
	deadline=$(($(qa_now_ms) + 1000))
	while :; do
		alive=0
		for pid in "$@"; do
			svc_group_alive "$pid" && { alive=1; break; }
		done
		[ $alive -eq 0 ] && break
		[ "$(qa_now_ms)" -ge "$deadline" ] && break
		sleep 0.02
	done
	for pid in "$@"; do
		kill -KILL -- "-$pid" "$pid" 2>/dev/null || true
	done
	for pid in "$@"; do
		wait "$pid" 2>/dev/null || true
	done
}

svc_stop_all() {	# svc_stop_all: stop every service (all groups at once)
	svc_stop_groups ${QA_SVC_PIDS[@]+"${QA_SVC_PIDS[@]}"}
	QA_SVC_NAMES=() QA_SVC_PIDS=() QA_SVC_LOGS=()
}

svc_stop() {	# svc_stop NAME: stop one service; the others keep running
	local i names=() pids=() logs=()
	for i in "${!QA_SVC_NAMES[@]}"; do
		if [ "${QA_SVC_NAMES[$i]}" = "$1" ]; then
			svc_stop_groups "${QA_SVC_PIDS[$i]}"
		else
			names+=("${QA_SVC_NAMES[$i]}") pids+=("${QA_SVC_PIDS[$i]}") logs+=("${QA_SVC_LOGS[$i]}")
		fi
	done
	QA_SVC_NAMES=(${names[@]+"${names[@]}"}) QA_SVC_PIDS=(${pids[@]+"${pids[@]}"})
	QA_SVC_LOGS=(${logs[@]+"${logs[@]}"})
}

# ---------------------------------------------------------------- waiting
# Each wait gives up at its deadline (seconds), and early when a service
# started by svc_start has died: nothing would ever answer then.

svc_wait() {	# svc_wait DEADLINE CMD...: poll CMD every 10 ms until it succeeds
	local deadline=$(($(qa_now_ms) + $1 * 1000))
	shift
	until "$@" 2>/dev/null; do
		svc_all_alive || return 1
		svc_bind_failed && return 1
		[ "$(qa_now_ms)" -ge "$deadline" ] && { echo "timed out: $*" >&2; return 1; }
		sleep 0.01
	done
}

qa_tcp_open() {	# qa_tcp_open HOST PORT: does something accept a connection?
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

qa_http_up() {	# qa_http_up URL: an answer that is not a gateway error (502: no app yet)
	local code
	code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$1") || return 1
	[ "$code" != 000 ] && [ "$code" != 502 ] && [ "$code" != 504 ]
}

svc_wait_tcp() {	# svc_wait_tcp HOST PORT DEADLINE
	svc_wait "$3" qa_tcp_open "$1" "$2"
}

svc_wait_http() {	# svc_wait_http URL DEADLINE
	svc_wait "$2" qa_http_up "$1"
}

svc_wait_file() {	# svc_wait_file PATH DEADLINE: e.g. a unix socket
	svc_wait "$2" test -e "$1"
}

# ---------------------------------------------------------------- app config

app_write_conf() {	# app_write_conf FILE SRCDIR RUNDIR [LINE...]: qmailadmin.conf
	# LINEs ("key = value") are appended; a LINE's key replaces our default.
	local file=$1 src=$2 run=$3 line extra
	shift 3
	local defaults=(
		"templates_dir = $src/templates"
		"static_url = /qmailadmin-static"
		"tmp_dir = $run/tmp"
		"max_body = 64K"
		"max_upload = 1M"
		"max_fields = 200"
		"max_files = 10"
		"default_lang = en"
		"helper = $run/no-helper-yet"
	)
	mkdir -p "$run/tmp"
	{
		echo "# qmailadmin.conf written by scripts/lib.sh (app_write_conf)"
		for line in "${defaults[@]}"; do
			for extra in "$@"; do
				[ "${extra%%[ =]*}" = "${line%% *}" ] && continue 2
			done
			echo "$line"
		done
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$file"
}

conf_set() {	# conf_set FILE KEY VALUE: set one qmailadmin.conf key (a key set twice is an error)
	local tmp=$1.tmp.$$
	{
		grep -v -E "^[[:space:]]*$2[[:space:]]*=" "$1" || true
		printf '%s = %s\n' "$2" "$3"
	} >"$tmp" && cat "$tmp" >"$1"	# (cat keeps FILE's owner and mode)
	local rc=$?
	rm -f "$tmp"
	return $rc
}

store_owner() {	# store_owner: "USER GROUP" that a store's mail belongs to
	# (store_layout's vpopmail_user and vpopmail_group): nobody as root.
	if [ "$(id -u)" -eq 0 ]; then
		echo "nobody $(id -gn nobody)"
	else
		echo "$(id -un) $(id -gn)"
	fi
}

store_layout() {	# store_layout DIR: a qmail + vpopmail tree and the helper's state dir
	# under DIR; prints their qmailadmin.conf lines. As root the helper runs
	# the domain stores as vpopmail_user, as it does when installed setuid;
	# nobody plays vpopmail then (uid 0 never can: qmail refuses to deliver
	# as root), so DIR must be reachable by nobody and the state dir its own.
	local dir=$1 vuser vgroup
	mkdir -p "$dir/qmail/control" "$dir/qmail/users" "$dir/vpopmail/etc" \
		"$dir/vpopmail/bin" "$dir/state"
	chmod 755 "$dir"
	read -r vuser vgroup < <(store_owner)
	[ "$(id -u)" -eq 0 ] && chown "$vuser:$vgroup" "$dir/state"
	printf '%s\n' "qmail_dir = $dir/qmail" "vpopmail_dir = $dir/vpopmail" \
		"vpopmail_user = $vuser" "vpopmail_group = $vgroup" "state_dir = $dir/state"
}

# ---------------------------------------------------------------- web stack
# One nginx on 127.0.0.1:PORT in front of the app:
#   /cgi-bin/qmailadmin[/...]      FastCGI, app under spawn-fcgi  (PREFIX/app.sock)
#   /cgi-bin/qmailadmin-cgi[/...]  the same binary as CGI via fcgiwrap (PREFIX/cgi.sock)
#   /qmailadmin-static/            SRCDIR/static/
# Set NGINX_EXTRA to add lines inside the server block (the benchmark does),
# NGINX_ACCESS_LOG=off to disable the access log.

nginx_write_conf() {	# nginx_write_conf PREFIX PORT APP SRCDIR
	local p=$1 port=$2 app=$3 src=$4 user_line=
	mkdir -p "$p/tmp" "$p/htdocs"
	[ "$(id -u)" -eq 0 ] && user_line='user root root;	# workers must reach the 0600 sockets'
	# Our own parameter list rather than /etc/nginx/fastcgi_params: that one
	# also sets SCRIPT_NAME (sent twice, libfcgi takes the first copy and
	# fcgiwrap the last) and, in newer Debian builds, HTTP_HOST.
	cat >"$p/fastcgi_params" <<'EOF'
fastcgi_param QUERY_STRING      $query_string;
fastcgi_param REQUEST_METHOD    $request_method;
fastcgi_param CONTENT_TYPE      $content_type;
fastcgi_param CONTENT_LENGTH    $content_length;
fastcgi_param REQUEST_URI       $request_uri;
fastcgi_param DOCUMENT_URI      $document_uri;
fastcgi_param DOCUMENT_ROOT     $document_root;
fastcgi_param SERVER_PROTOCOL   $server_protocol;
fastcgi_param REQUEST_SCHEME    $scheme;
fastcgi_param HTTPS             $https if_not_empty;
fastcgi_param GATEWAY_INTERFACE CGI/1.1;
fastcgi_param SERVER_SOFTWARE   nginx;
fastcgi_param REMOTE_ADDR       $remote_addr;
fastcgi_param REMOTE_PORT       $remote_port;
fastcgi_param SERVER_ADDR       $server_addr;
fastcgi_param SERVER_PORT       $server_port;
fastcgi_param SERVER_NAME       $server_name;
EOF
	cat >"$p/nginx.conf" <<EOF
# Private nginx instance written by scripts/lib.sh (nginx_write_conf).
# Start: nginx -p $p -c $p/nginx.conf -e stderr -g 'daemon off;'
$user_line
worker_processes 1;
pid $p/nginx.pid;
error_log stderr warn;
events { worker_connections 256; }
http {
    access_log ${NGINX_ACCESS_LOG:-$p/access.log};
    # Every temp path is set: the built-in ones are not writable unprivileged.
    client_body_temp_path $p/tmp/body;
    fastcgi_temp_path     $p/tmp/fastcgi;
    proxy_temp_path       $p/tmp/proxy;
    uwsgi_temp_path       $p/tmp/uwsgi;
    scgi_temp_path        $p/tmp/scgi;
    types {
        text/html html; text/css css; image/svg+xml svg; image/png png;
        application/javascript js;
    }
    default_type application/octet-stream;
    server_tokens off;
    log_not_found off;
    # Above the app's max_upload, so that the app (not nginx) enforces it.
    client_max_body_size 16m;

    server {
        listen 127.0.0.1:$port;
        server_name localhost;
        root $p/htdocs;

        location = /cgi-bin/qmailadmin {
            include $p/fastcgi_params;
            fastcgi_param SCRIPT_NAME /cgi-bin/qmailadmin;
            fastcgi_pass unix:$p/app.sock;
        }
        location /cgi-bin/qmailadmin/ {
            include $p/fastcgi_params;
            fastcgi_split_path_info ^(/cgi-bin/qmailadmin)(/.*)\$;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
            fastcgi_pass unix:$p/app.sock;
        }
        # The same binary as plain CGI, run by fcgiwrap.
        location = /cgi-bin/qmailadmin-cgi {
            include $p/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME $app;
            fastcgi_param SCRIPT_NAME /cgi-bin/qmailadmin-cgi;
            fastcgi_pass unix:$p/cgi.sock;
        }
        location /cgi-bin/qmailadmin-cgi/ {
            include $p/fastcgi_params;
            fastcgi_split_path_info ^(/cgi-bin/qmailadmin-cgi)(/.*)\$;
            fastcgi_param SCRIPT_FILENAME $app;
            fastcgi_param SCRIPT_NAME \$fastcgi_script_name;
            fastcgi_param PATH_INFO \$fastcgi_path_info;
            fastcgi_pass unix:$p/cgi.sock;
        }
        location /qmailadmin-static/ {
            alias $src/static/;
        }
${NGINX_EXTRA-}
    }
}
EOF
}

nginx_start() {	# nginx_start PREFIX: start the instance nginx_write_conf wrote
	svc_start nginx "$1/nginx.log" nginx -p "$1" -c "$1/nginx.conf" -e stderr -g 'daemon off;'
}

fcgi_start() {	# fcgi_start NAME SOCKET CMD...: CMD as a FastCGI server on SOCKET
	local name=$1 sock=$2 cmd
	shift 2
	cmd=$(command -v "$1") || { qa_die "$1: not found"; return 1; }
	shift
	rm -f "$sock"
	# spawn-fcgi wants a full path. -n: no fork, it execs CMD with the listening socket as fd 0, so
	# the service's pid is the app's pid.
	svc_start "$name" "${sock%.sock}.log" spawn-fcgi -n -s "$sock" -M 0600 -- "$cmd" "$@"
}

web_start() {	# web_start PREFIX PORT APP SRCDIR CONF: nginx + app + fcgiwrap, ready (APP_WORKERS)
	local p=$1 port=$2 app=$3 src=$4 conf=$5
	[ -x "$app" ] || { qa_die "no app binary at $app"; return 1; }
	nginx_write_conf "$p" "$port" "$app" "$src"
	export QMAILADMIN_CONF=$conf	# inherited by the app and by fcgiwrap's CGI children
	# APP_WORKERS=N: the app serves with N processes (qmailadmin --workers).
	fcgi_start app "$p/app.sock" "$app" ${APP_WORKERS:+--workers "$APP_WORKERS"}
	fcgi_start cgi "$p/cgi.sock" fcgiwrap -f -c 2
	nginx_start "$p"
	svc_wait_file "$p/app.sock" 10 &&
		svc_wait_file "$p/cgi.sock" 10 &&
		svc_wait_tcp 127.0.0.1 "$port" 10 &&
		svc_wait_http "http://127.0.0.1:$port/cgi-bin/qmailadmin" 10
}

web_port_taken() {	# web_port_taken PREFIX: did nginx fail on a port in use?
	grep -q -s 'Address already in use' "$1/nginx.log"
}

# ---------------------------------------------------------------- Dovecot
# A private Dovecot (imapd) for a store laid out by store_layout, on
# 127.0.0.1 only: webmail's IMAP server in the tests and the demo. It
# serves every domain of the store, checking passwords against the vpasswd
# files the helper writes, and reads each user's Maildir as the store's
# owner (store_owner). Unprivileged when not root; as root its login
# processes run as dovenull (Dovecot refuses root there) and the rest as
# the store's owner. README.md, "Dovecot in the demo and the tests".

dovecot_conf() {	# dovecot_conf DIR STORE IMAP_PORT [IMAPS_PORT]: write DIR/dovecot.conf
	# With IMAPS_PORT also IMAPS there and STARTTLS on IMAP_PORT, with the
	# certificate and key the caller put in DIR/tls/server.pem and server.key.
	local dir=$1 store vpop port=$3 tls_port=${4-} vuser vgroup vuid vgid login_user
	store=$(cd "$2" && pwd -P) || return 1
	vpop=$store/vpopmail
	read -r vuser vgroup < <(store_owner)
	vuid=$(id -u "$vuser") && vgid=$(getent group "$vgroup" | cut -d: -f3) || return 1
	login_user=$(id -un)
	if [ "$(id -u)" -eq 0 ]; then
		login_user=dovenull
		id dovenull >/dev/null 2>&1 || { qa_die "no dovenull user (dovecot-core makes it)"; return 1; }
	fi
	mkdir -p "$dir" && dir=$(cd "$dir" && pwd) || return 1	# Dovecot wants absolute paths
	{
		cat <<CONF
# Private Dovecot written by scripts/lib.sh (dovecot_conf).
# Start: dovecot -F -c $dir/dovecot.conf
# Keep base_dir short: its unix sockets' paths must stay under 108 bytes.
base_dir = $dir/run
state_dir = $dir/state
instance_name = qa-imap-$port
protocols = imap
listen = 127.0.0.1
log_path = /dev/stderr
auth_verbose = yes
disable_plaintext_auth = no
auth_mechanisms = plain login
# Repeated logins (webmail logs in for every page) skip the vpasswd lookup.
# No negative caching: a user added after a failed login gets in at once. A
# changed password is looked up again, but the old one works for the ttl.
auth_failure_delay = 0
auth_cache_size = 1M
auth_cache_ttl = 1 min
auth_cache_negative_ttl = 0
auth_cache_verify_password_with_worker = no
mail_max_userip_connections = 1000
default_login_user = $login_user
default_internal_user = $vuser
default_internal_group = $vgroup
first_valid_uid = $vuid
first_valid_gid = $vgid
# vpasswd as the passdb only: as a userdb, Dovecot refuses every line whose
# fourth field (vpopmail's flags, not a gid) is 0. The static userdb gives
# each user the home vpopmail gives it, DOMAIN_DIR/USER, as the store owner.
passdb {
  driver = passwd-file
  args = scheme=CRYPT username_format=%n $vpop/domains/%d/vpasswd
}
userdb {
  driver = static
  args = uid=$vuid gid=$vgid home=$vpop/domains/%d/%n allow_all_users=yes
}
mail_location = maildir:~/Maildir
# Maildir++ names (".Sent"). The special-use folders are declared but made
# only when a client creates them (webmail does).
namespace inbox {
  inbox = yes
  separator = .
  mailbox Drafts {
    special_use = \\Drafts
    auto = no
  }
  mailbox Sent {
    special_use = \\Sent
    auto = no
  }
  mailbox Trash {
    special_use = \\Trash
    auto = no
  }
}
CONF
		if [ -n "$tls_port" ]; then
			printf '%s\n' "ssl = yes" "ssl_cert = <$dir/tls/server.pem" "ssl_key = <$dir/tls/server.key"
		else
			echo "ssl = no"
		fi
		cat <<CONF
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $port
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${tls_port:-0}
    ssl = yes
  }
}
# No per-IP penalty (up to 15 s a login after failures): webmail's users
# all come from 127.0.0.1, and the tests try wrong passwords on purpose.
service anvil {
  chroot =
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service stats {
  unix_listener stats-reader {
    mode = 0600
  }
  unix_listener stats-writer {
    mode = 0600
  }
}
CONF
	} >"$dir/dovecot.conf"
}

qa_imap_greeting() (	# qa_imap_greeting HOST PORT: does an IMAP server say "* OK"?
	# (Not just accept: a client that comes before auth is ready is dropped.
	# A subshell: the caller's descriptor 3 stays as it was.)
	exec 3<>"/dev/tcp/$1/$2" || exit 1
	IFS= read -r -t 2 line <&3 || exit 1
	[[ $line == "* OK"* ]]
)

dovecot_start() {	# dovecot_start DIR STORE [IMAP_PORT [IMAPS_PORT]]: Dovecot, ready
	# Writes DIR/dovecot.conf (dovecot_conf), starts the service "dovecot"
	# (its log: DIR/dovecot.log) and waits up to 10 s for its greeting. A
	# port left out or given as 0 is a free one, picked again once if another
	# process took it meanwhile. No IMAPS_PORT: no IMAPS and no TLS. Sets
	# DOVECOT_IMAP_PORT, and DOVECOT_IMAPS_PORT (empty without IMAPS).
	local dir=$1 store=$2 want=${3:-0} want_tls=${4-} try free=()
	command -v dovecot >/dev/null 2>&1 || { qa_die "dovecot is not installed (dovecot-imapd)"; return 1; }
	for try in 1 2; do
		mapfile -t free < <(free_ports 2)
		DOVECOT_IMAP_PORT=$want DOVECOT_IMAPS_PORT=$want_tls
		[ "$want" = 0 ] && DOVECOT_IMAP_PORT=${free[0]}
		[ "$want_tls" = 0 ] && DOVECOT_IMAPS_PORT=${free[1]}
		dovecot_conf "$dir" "$store" "$DOVECOT_IMAP_PORT" "$DOVECOT_IMAPS_PORT" || return 1
		svc_start dovecot "$dir/dovecot.log" dovecot -F -c "$dir/dovecot.conf"
		svc_wait 10 qa_imap_greeting 127.0.0.1 "$DOVECOT_IMAP_PORT" && return 0
		if [ "$try" = 1 ] && [ "$want" = 0 ] && [ "${want_tls:-0}" = 0 ] &&
			dovecot_port_taken "$dir"; then
			echo "dovecot: port $DOVECOT_IMAP_PORT or ${DOVECOT_IMAPS_PORT:--} was taken, retrying" >&2
			svc_stop dovecot
			continue
		fi
		break
	done
	return 1
}

dovecot_port_taken() {	# dovecot_port_taken DIR: did Dovecot fail on a port in use?
	grep -q -s 'Address already in use' "$1/dovecot.log"
}

imap_append_file() {	# imap_append_file PROBE PORT USER PASSWORD MAILBOX FILE [FLAG...]
	# APPENDs FILE (its line ends made CRLF) to USER's MAILBOX on
	# 127.0.0.1:PORT with PROBE, the test program tests/integration/imap_probe:
	# over IMAP, so that Dovecot's indexes know the message. A missing MAILBOX
	# is created first. FLAGs are system flags (\Seen \Flagged \Answered
	# \Draft \Deleted), as separate words or in one. Prints the new message's
	# UID; on failure, the probe's answer goes to stderr and the status is 1.
	local probe=$1 port=$2 user=$3 pass=$4 mbox=$5 file=$6 out flags=()
	shift 6
	read -r -a flags <<<"$*"
	[ -r "$file" ] || { qa_die "imap_append_file: cannot read $file"; return 1; }
	out=$(imap_probe_as "$probe" "$port" "$user" "$pass" append "$mbox" "$file" ${flags[@]+"${flags[@]}"})
	if [[ $out == "error no_mailbox:"* ]]; then
		out=$(imap_probe_as "$probe" "$port" "$user" "$pass" create "$mbox") &&
			out=$(imap_probe_as "$probe" "$port" "$user" "$pass" append "$mbox" "$file" \
				${flags[@]+"${flags[@]}"})
	fi
	case $out in
	uid=*) echo "${out#uid=}" ;;
	*) echo "imap_append_file $user $mbox $file: ${out:-no answer}" >&2; return 1 ;;
	esac
}

imap_probe_as() {	# imap_probe_as PROBE PORT USER PASSWORD COMMAND ARGS...: one probe run
	local probe=$1 port=$2 user=$3 pass=$4
	shift 4
	IMAP_HOST=127.0.0.1 IMAP_PORT=$port IMAP_USER=$user IMAP_PASS=$pass "$probe" "$@"
}

# ---------------------------------------------------------------- Exim
# A private Exim (exim4-daemon-light) for a store laid out by store_layout,
# on 127.0.0.1 only: the MTA that webmail sends through in the tests and the
# demo, where a real server has qmail-smtpd and vdelivermail. It takes mail
# for every user in a domain's vpasswd (the domains are the directories
# under vpopmail/domains, so one added later counts at once) and appends it
# to the Maildir under the home vpasswd names, as the store's owner. An
# unknown user of a local domain gets 550, and so does every other domain
# (no relaying, not even for a logged-in client), except EXIM_OUTSIDE_DOMAIN:
# its mail is kept in DIR/outside/Maildir, for tests that write to "the
# world". AUTH PLAIN checks a password against vpasswd's crypt() hash.
# Unlike qmail it reads no .qmail files (no forwards, aliases, catch-all)
# and enforces no quota. README.md, "Exim in the demo and the tests".

EXIM_OUTSIDE_DOMAIN=outside.example	# RFC 2606: never a real domain

exim_conf() {	# exim_conf DIR STORE SMTP_PORT [tls]: write DIR/exim.conf
	# With "tls", STARTTLS with the certificate and key the caller put in
	# DIR/tls/server.pem and server.key.
	local dir=$1 store vpop port=$3 tls=${4-} vuser vgroup host=mail.example.test
	store=$(cd "$2" && pwd -P) || return 1
	vpop=$store/vpopmail
	read -r vuser vgroup < <(store_owner)
	[ -s "$store/qmail/control/me" ] && read -r host <"$store/qmail/control/me"
	mkdir -p "$dir/spool" "$dir/outside" && dir=$(cd "$dir" && pwd -P) || return 1
	# The vpasswd file of a domain; in an expansion, \$domain_data is the
	# domain as the dsearch lookup found it: a name that came from the
	# client (\$domain) may not make a file name (Exim's taint rules).
	local vpasswd="$vpop/domains/\$domain_data/vpasswd"
	{
		cat <<CONF
# Private Exim written by scripts/lib.sh (exim_conf).
# Start, as $vuser: exim4 -C $dir/exim.conf -bdf -oX $port
# (with -C, Exim gives up root; in the foreground it logs to stderr; with
# -oX it writes no pid file, which only root could remove at its end)
primary_hostname = $host
# Only Exim's own user may start a daemon: here that is the store's owner.
exim_user = $vuser
exim_group = $vgroup
domainlist local_domains = dsearch,filter=dir;$vpop/domains
domainlist outside_domains = $EXIM_OUTSIDE_DOMAIN
local_interfaces = 127.0.0.1
daemon_smtp_ports = $port
disable_ipv6 = true
spool_directory = $dir/spool
log_file_path = $dir/%slog
keep_environment =
host_lookup =
rfc1413_hosts =
# No queue runner: what cannot be delivered at once stays in the spool.
queue_run_max = 0
# No socket for queue-run notices (none are needed), which two daemons of
# one DIR would fight over; a port in use ends the start at once, instead
# of nine retries 30 s apart.
notifier_socket =
daemon_startup_retries = 0
acl_smtp_rcpt = check_rcpt
CONF
		if [ "$tls" = tls ]; then
			printf '%s\n' "tls_advertise_hosts = *" "tls_certificate = $dir/tls/server.pem" \
				"tls_privatekey = $dir/tls/server.key"
		else
			echo "tls_advertise_hosts ="
			exim_unused_cert "$dir" &&
				printf '%s\n' "tls_certificate = $dir/unused-tls/cert.pem" \
					"tls_privatekey = $dir/unused-tls/key.pem"
		fi
		cat <<CONF

begin acl
check_rcpt:
  accept  domains     = +local_domains
          local_parts = lsearch;$vpasswd
  deny    domains     = +local_domains
          message     = unknown user
  accept  domains     = +outside_domains
  deny    message     = relay not permitted

begin routers
vpopmail_user:
  driver      = accept
  domains     = +local_domains
  # An lsearch key ends at the first ':', so \$local_part_data is the rest
  # of the user's line: hash:1:flags:gecos:home:quota[:clear]
  local_parts = lsearch;$vpasswd
  transport   = vpopmail_maildir
outside:
  driver      = accept
  domains     = +outside_domains
  transport   = outside_maildir

begin transports
vpopmail_maildir:
  driver           = appendfile
  maildir_format
  directory        = \${extract{5}{:}{\$local_part_data}}/Maildir
  # On top, as qmail-local's Return-Path and Delivered-To: the envelope
  # sender, and which recipient this copy is for (a Bcc too).
  return_path_add
  envelope_to_add
  delivery_date_add
outside_maildir:
  driver           = appendfile
  maildir_format
  directory        = $dir/outside/Maildir
  return_path_add
  envelope_to_add

begin retry
*  *  F,1m,1m

begin authenticators
# AUTH PLAIN as USER@DOMAIN: crypt() of the password against the hash in
# the domain's vpasswd. A domain that is no directory fails the login.
plain:
  driver           = plaintext
  public_name      = PLAIN
  server_prompts   = :
  server_condition = \${if crypteq{\$auth3}{\\{crypt\\}\${extract{1}{:}{\${lookup{\${local_part:\${lc:\$auth2}}}lsearch{$vpop/domains/\${lookup{\${domain:\${lc:\$auth2}}}dsearch,filter=dir{$vpop/domains}{\$value}fail}/vpasswd}}}}}}
  server_set_id    = \$auth2
CONF
	} >"$dir/exim.conf"
}

exim_unused_cert() {	# exim_unused_cert DIR: DIR/unused-tls/{cert,key}.pem, made once
	# Exim 4.96 loads a certificate at start even when it offers no TLS,
	# and without one it makes an RSA key each time: up to a second of CPU.
	# A P-256 one from openssl takes 20 ms. (No openssl: a slow start.)
	local d=$1/unused-tls
	[ -s "$d/cert.pem" ] && [ -s "$d/key.pem" ] && return 0
	command -v openssl >/dev/null 2>&1 || return 1
	mkdir -p "$d" && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
		-days 3650 -subj "/CN=not offered" -keyout "$d/key.pem" -out "$d/cert.pem" >/dev/null 2>&1
}

qa_smtp_greeting() (	# qa_smtp_greeting HOST PORT: does an SMTP server say "220"?
	exec 3<>"/dev/tcp/$1/$2" || exit 1
	IFS= read -r -t 2 line <&3 || exit 1
	printf 'QUIT\r\n' >&3
	[[ $line == "220 "* ]]
)

exim_cmd() {	# exim_cmd: the Exim binary's path (Debian calls it exim4)
	command -v exim4 2>/dev/null || command -v exim 2>/dev/null ||
		{ qa_die "exim is not installed (exim4-daemon-light)"; return 1; }
}

exim_as_owner() {	# exim_as_owner DIR: the command prefix that runs Exim as the store's owner
	# Exim gives up root for a -C config, and would deliver as root never
	# (its never_users): as root, start it as the store's owner, which must
	# own DIR (the spool, the sink Maildir, the certificates).
	local vuser vgroup
	[ "$(id -u)" -eq 0 ] || return 0
	read -r vuser vgroup < <(store_owner)
	chown -R "$vuser:$vgroup" "$1" || return 1
	echo "setpriv --reuid=$(id -u "$vuser") --regid=$(getent group "$vgroup" | cut -d: -f3) --clear-groups"
}

exim_start() {	# exim_start DIR STORE [SMTP_PORT [tls]]: Exim, ready
	# Writes DIR/exim.conf (exim_conf), starts the service "exim" (its log:
	# DIR/exim.log) and waits up to 10 s for its 220 greeting. A port left
	# out or given as 0 is a free one, picked again once if another process
	# took it meanwhile. Sets EXIM_SMTP_PORT.
	local dir=$1 store=$2 want=${3:-0} tls=${4-} try exim prefix
	exim=$(exim_cmd) || return 1
	for try in 1 2; do
		EXIM_SMTP_PORT=$want
		[ "$want" = 0 ] && EXIM_SMTP_PORT=$(free_ports 1)
		exim_conf "$dir" "$store" "$EXIM_SMTP_PORT" "$tls" || return 1
		dir=$(cd "$dir" && pwd -P)
		prefix=$(exim_as_owner "$dir") || return 1
		: >"$dir/exim.log"	# (a line from the last run is no news)
		# shellcheck disable=SC2086 # (the prefix is words)
		svc_start exim "$dir/exim.log" $prefix "$exim" -C "$dir/exim.conf" -bdf -oX "$EXIM_SMTP_PORT"
		svc_wait 10 qa_smtp_greeting 127.0.0.1 "$EXIM_SMTP_PORT" && return 0
		if [ "$try" = 1 ] && [ "$want" = 0 ] && grep -q -s 'Address already in use' "$dir/exim.log"; then
			echo "exim: port $EXIM_SMTP_PORT was taken, retrying" >&2
			svc_stop exim
			continue
		fi
		break
	done
	return 1
}

smtp_send_file() {	# smtp_send_file PORT FROM RCPT[,RCPT...] FILE: send FILE to 127.0.0.1:PORT
	# One SMTP session (Perl's Net::SMTP: CRLF line ends, dot-stuffing).
	# Prints the server's last reply ("250 OK id=..." or "550 unknown user");
	# the status is 0 when the message was accepted for every RCPT. With
	# SMTP_AUTH_USER and SMTP_AUTH_PASS set, it logs in first (AUTH PLAIN).
	[ -r "$4" ] || { qa_die "smtp_send_file: cannot read $4"; return 1; }
	perl -MNet::SMTP -MMIME::Base64 -e '
		my ($port, $from, $rcpts, $file) = @ARGV;
		sub reply { my $s = shift; my $m = join(" ", $s->message); $m =~ s/\s+$//;
			$m =~ s/\n/ /g; print $s->code, " $m\n"; }
		# QUIT without waiting for the 221: Exim holds it back up to 200 ms,
		# until the client has closed.
		sub bye { my $s = shift; $s->command("QUIT"); $s->close; }
		sub fail { my $s = shift; reply($s); bye($s); exit 1; }
		my $s = Net::SMTP->new("127.0.0.1", Port => $port, Hello => "localhost", Timeout => 10)
			or do { print "000 connect: $@\n"; exit 1 };
		if (defined $ENV{SMTP_AUTH_USER}) {
			my $t = encode_base64("\0$ENV{SMTP_AUTH_USER}\0$ENV{SMTP_AUTH_PASS}", "");
			$s->command("AUTH PLAIN", $t)->response() == 2 or fail($s);
		}
		$s->mail($from) or fail($s);
		for (split /,/, $rcpts) { $s->recipient($_) or fail($s) }
		open(my $f, "<:raw", $file) or die "$file: $!\n";
		my $data = do { local $/; <$f> };
		$s->data() or fail($s);
		$s->datasend($data);
		$s->dataend() or fail($s);
		reply($s);
		bye($s);' "$@"
}
