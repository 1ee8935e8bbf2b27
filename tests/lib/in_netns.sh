#!/usr/bin/env bash
# Runs a command inside a private network namespace made for the test (needs root), so no test traffic
# ever leaves it: loopback up, and a veth pair v0/v1 with 10.77.0.1/24 on v0 — Janus never gathers ICE
# candidates on loopback, so the origin uses v0 — plus a default route into the pair (Chromium gathers
# no candidates without one; packets for other addresses end at v1, inside the namespace).
#
#   bash tests/lib/in_netns.sh COMMAND [ARGS...]
set -euo pipefail

if [ -z "${CONFHOST_IN_NETNS:-}" ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "tests/lib/in_netns.sh: needs root (unshare -n creates the private network namespace)" >&2
    exit 1
  fi
  exec env CONFHOST_IN_NETNS=1 unshare -n bash "${BASH_SOURCE[0]}" "$@"
fi

# Chromium aborts navigations with ERR_NETWORK_CHANGED on any address change. IPv6 link-local setup and
# duplicate address detection on the veth pair would make such changes a second or two after start, so
# IPv6 stays off the pair, and nothing starts before both ends report the link up.
sysctl -qw net.ipv6.conf.default.disable_ipv6=1
ip link set lo up
ip link add v0 type veth peer name v1
ip addr add 10.77.0.1/24 dev v0
ip link set v0 up
ip link set v1 up
ip route add default dev v0
for _ in $(seq 200); do
  if ip -o link show v0 | grep -q 'state UP' && ip -o link show v1 | grep -q 'state UP'; then break; fi
  sleep 0.05
done
ip -o link show v0 | grep -q 'state UP' || { echo "tests/lib/in_netns.sh: veth v0 never came up" >&2; exit 1; }

exec "$@"
