import type { reissueNodeCertificate } from "@/lib/services/nodes/reissue-node-certificate";

type Reissued = Awaited<ReturnType<typeof reissueNodeCertificate>>;

/** The JSON both re-issue and CSR signing answer with: the node's new certificate and what it replaced. */
export function nodeCertificateJson({ node, certificate, previousSerial, chainPem }: Reissued) {
  return {
    nodeId: node.id,
    hostname: node.hostname,
    previousSerial,
    certificate: {
      serial: certificate.serialHex,
      sans: [...certificate.dnsNames, ...certificate.ipAddresses],
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      fingerprintSha256: certificate.fingerprintSha256,
      certificatePem: certificate.certificatePem,
      // Intermediates for server.crt after the leaf; empty under a root CA.
      chainPem: chainPem.join(""),
      fromCsr: certificate.fromCsr,
    },
  };
}
