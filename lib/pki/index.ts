// The public API of lib/pki: pure X.509 over WebCrypto + pkijs/asn1js.
export * from "./create-intermediate-ca";
export * from "./create-root-ca";
export * from "./errors";
export * from "./issue-leaf";
export * from "./key-algorithms";
export * from "./keys";
export * from "./public-key";
export * from "./load-issuer";
export * from "./names";
export * from "./pem";
export * from "./serial";
export { validateSubject, type Subject } from "./subject";
export * from "./crl";
export * from "./csr";
export * from "./sign-csr";
export * from "./parse-certificate";
export * from "./verify-chain";
export * from "./pkcs12";
