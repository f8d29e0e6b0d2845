import net from "node:net";
import tls from "node:tls";

export type ServedCertificate =
  | { ok: true; der: Uint8Array; via: "sslrequest" | "direct-tls"; protocol: string | null }
  | { ok: false; problem: "unreachable" | "tls-off" | "handshake"; detail: string };

const SSL_REQUEST = Buffer.from([0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f]); // length 8, code 80877103

/**
 * The certificate a PostgreSQL server presents, the way libpq gets it: an SSLRequest, then a TLS
 * handshake on the same socket. If the server drops the SSLRequest (a PostgreSQL 17 set up for
 * direct TLS only), try direct TLS with ALPN "postgresql". Nothing is verified here: the caller
 * compares what is served with what was issued. Never sends credentials.
 */
export async function fetchServedCertificate(host: string, port: number, timeoutMs = 5_000): Promise<ServedCertificate> {
  const viaRequest = await sslRequestHandshake(host, port, timeoutMs);
  if (viaRequest.ok || viaRequest.problem !== "handshake" || !viaRequest.detail.startsWith("closed")) return viaRequest;
  return directTls(host, port, timeoutMs);
}

const servername = (host: string) => (net.isIP(host) ? undefined : host);

function sslRequestHandshake(host: string, port: number, timeoutMs: number): Promise<ServedCertificate> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const fail = (problem: "unreachable" | "tls-off" | "handshake", detail: string) => {
      socket.destroy();
      resolve({ ok: false, problem, detail });
    };
    socket.setTimeout(timeoutMs, () => fail("unreachable", `no answer from ${host}:${port} within ${timeoutMs / 1000} s`));
    socket.once("error", (error) => fail("unreachable", `${host}:${port}: ${error.message}`));
    socket.once("connect", () => socket.write(SSL_REQUEST));
    socket.once("close", () => fail("handshake", "closed before answering the SSLRequest"));
    socket.once("data", (answer) => {
      socket.removeAllListeners("close");
      socket.setTimeout(0);
      if (answer[0] === 0x4e) return fail("tls-off", `${host}:${port} answered that TLS is off (ssl = off)`);
      if (answer[0] !== 0x53) return fail("handshake", `${host}:${port} is not PostgreSQL (unexpected answer to SSLRequest)`);
      handshake(tls.connect({ socket, servername: servername(host), rejectUnauthorized: false }), "sslrequest", timeoutMs).then(resolve);
    });
  });
}

function directTls(host: string, port: number, timeoutMs: number): Promise<ServedCertificate> {
  return handshake(
    tls.connect({ host, port, servername: servername(host), rejectUnauthorized: false, ALPNProtocols: ["postgresql"] }),
    "direct-tls",
    timeoutMs,
  );
}

function handshake(socket: tls.TLSSocket, via: "sslrequest" | "direct-tls", timeoutMs: number): Promise<ServedCertificate> {
  return new Promise((resolve) => {
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve({ ok: false, problem: "handshake", detail: "TLS handshake timed out" });
    });
    socket.once("error", (error) => resolve({ ok: false, problem: "handshake", detail: `TLS handshake failed: ${error.message}` }));
    socket.once("secureConnect", () => {
      const certificate = socket.getPeerCertificate();
      const protocol = socket.getProtocol();
      socket.destroy();
      if (!certificate?.raw) return resolve({ ok: false, problem: "handshake", detail: "the server presented no certificate" });
      resolve({ ok: true, der: new Uint8Array(certificate.raw), via, protocol });
    });
  });
}
