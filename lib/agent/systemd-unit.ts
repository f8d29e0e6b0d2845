/**
 * The service unit shown on the node page and in the README. It runs as root: it writes files the
 * database's OS user owns and reloads the server as that user.
 */
export function agentSystemdUnit(
  agentPath = "/usr/local/lib/cluster-tls/cluster-tls.mjs",
  configPath = "/etc/cluster-tls/agent.json",
): string {
  return `[Unit]
Description=cluster-tls agent: installs, reloads and proves this node's TLS files
After=network-online.target
Wants=network-online.target

[Service]
ExecStart=/usr/bin/node ${agentPath} agent run --config ${configPath}
Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}
