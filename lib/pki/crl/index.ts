export * from "./build-crl";
export * from "./parse-crl";
export * from "./reasons";
