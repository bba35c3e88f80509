// The HAProxy and PgBouncer configurations the cluster test runs with; docs/operations.md
// ("Many instances, one database") shows the same files with production ports.

export function haproxyConfig(options: { port: number; instances: Array<{ name: string; port: number }> }): string {
  return `global
    maxconn 2000

defaults
    mode http
    option httplog
    timeout connect 2s
    timeout client 30s
    timeout server 30s
    # Retries only when the connection to an instance could not be made (HAProxy's default
    # retry-on conn-failure): a request an instance had already received is never sent twice.
    retries 3
    option redispatch 1

frontend junction
    bind 127.0.0.1:${options.port}
    option forwardfor
    default_backend junction_instances

backend junction_instances
    balance roundrobin
    option httpchk GET /health
    http-check expect status 200
    default-server check inter 1s fall 2 rise 2 on-marked-down shutdown-sessions
${options.instances.map((i) => `    server ${i.name} 127.0.0.1:${i.port}`).join('\n')}
`;
}

export function pgbouncerConfig(options: { port: number; database: string; pgHost: string; pgPort: number; pgUser: string; authFile: string }): string {
  return `[databases]
junction = host=${options.pgHost} port=${options.pgPort} dbname=${options.database} user=${options.pgUser}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${options.port}
unix_socket_dir =
; the test machine's PostgreSQL trusts local connections; production: auth_type = scram-sha-256
auth_type = trust
auth_file = ${options.authFile}
pool_mode = transaction
max_client_conn = 500
default_pool_size = 20
reserve_pool_size = 5
server_reset_query =
; node-postgres sends no other startup parameter (Junction sets no search_path option through it)
ignore_startup_parameters = extra_float_digits
`;
}
