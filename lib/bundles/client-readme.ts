type ClientReadmeParams = { clusterName: string; databaseUser: string; host: string; port: number; notAfter: Date; withP12: boolean };

/** README of a client bundle: working connection strings at sslmode=verify-full for each driver. */
export function clientReadme({ clusterName, databaseUser, host, port, notAfter, withP12 }: ClientReadmeParams): string {
  const dir = `$PWD`;
  return `# Client certificate for ${databaseUser} on ${clusterName}

Valid until ${notAfter.toISOString()} (UTC). The private key was generated for this download
and is not stored by cluster-tls: keep it, and never share it.

Files:
- client.crt  certificate (CN = ${databaseUser})
- client.key  private key, PEM (must stay mode 0600 — libpq refuses a readable key)
- client.pk8  the same key as DER PKCS#8, for pgJDBC
${withP12 ? '- client.p12  certificate + key, password-protected (alias "user"), for pgJDBC and Java keystores\n' : ""}- root.crt    the cluster's CA certificate(s): trust these to verify the server

Replace DBNAME with your database. ${host} is the cluster's address as configured in cluster-tls.

## psql / libpq
psql "host=${host} port=${port} dbname=DBNAME user=${databaseUser} sslmode=verify-full sslrootcert=${dir}/root.crt sslcert=${dir}/client.crt sslkey=${dir}/client.key"

## Python (psycopg2)
psycopg2.connect(host="${host}", port=${port}, dbname="DBNAME", user="${databaseUser}", sslmode="verify-full",
                 sslrootcert="root.crt", sslcert="client.crt", sslkey="client.key")

## Node.js (pg)
new pg.Client({ host: "${host}", port: ${port}, database: "DBNAME", user: "${databaseUser}",
  ssl: { ca: fs.readFileSync("root.crt", "utf8"), cert: fs.readFileSync("client.crt", "utf8"),
         key: fs.readFileSync("client.key", "utf8"), rejectUnauthorized: true } })
(Build a fresh ssl object per client; pg mutates it. Do not put ssl* parameters in a connection string: they replace the object.)

## Java (pgJDBC)
jdbc:postgresql://${host}:${port}/DBNAME?user=${databaseUser}&sslmode=verify-full&sslrootcert=root.crt&sslcert=client.crt&sslkey=client.pk8
${withP12 ? `or: jdbc:postgresql://${host}:${port}/DBNAME?user=${databaseUser}&sslmode=verify-full&sslrootcert=root.crt&sslkey=client.p12&sslpassword=<your password>\n` : ""}(pgJDBC needs the DER key (.pk8) or the .p12; it cannot read PEM keys.)
`;
}
