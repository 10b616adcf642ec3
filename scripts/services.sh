#!/usr/bin/env bash
# Starts the local services the tests use (MariaDB, Redis, RabbitMQ, NATS with JetStream) when they are down, and waits for them.
# The start commands are this machine kind's own (see the env entry of the tool library).
set -u
up() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }
wait_port() {
  for _ in $(seq 1 120); do up "$1" && return 0; sleep 0.5; done
  echo "services: $2 did not come up on port $1" >&2; return 1
}
if ! up 3306; then
  echo "services: starting MariaDB" >&2
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql >/dev/null 2>&1
  wait_port 3306 MariaDB
fi
if ! up 6379; then
  echo "services: starting Redis" >&2
  redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no --dir /var/lib/redis --logfile /var/log/redis/ci.log >/dev/null
  wait_port 6379 Redis
fi
if ! up 5672; then
  echo "services: starting RabbitMQ" >&2
  rabbitmq-server -detached >/dev/null 2>&1
  wait_port 5672 RabbitMQ
fi
if ! up 4222; then
  echo "services: starting NATS (JetStream)" >&2
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  wait_port 4222 NATS
fi
exit 0
