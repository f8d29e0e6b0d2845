import { ZDeviceCodeRequest, ZDeviceTokenRequest, ZLoginCertificateInput } from "@/lib/validations/devices";
import { defineOperation } from "../operation";
import { DEVICE, PUBLIC } from "./common";

// ——— developer login (RFC 8628 device grant, then the device credential) ———
export const requestDeviceCodeOperation = defineOperation({
  id: "requestDeviceCode",
  method: "POST",
  path: "/api/v1/device/code",
  tag: "developer login",
  auth: PUBLIC,
  summary: "Start `cluster-tls login`: a device code, the user code to approve at /device, and how often to poll",
  oauthParameters: ZDeviceCodeRequest,
  responses: {
    200: { description: "`{device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval}` (RFC 8628 §3.2)" },
  },
});
export const exchangeDeviceCodeOperation = defineOperation({
  id: "exchangeDeviceCode",
  method: "POST",
  path: "/api/v1/device/token",
  tag: "developer login",
  auth: PUBLIC,
  summary: "Poll with the device code until the user approved: the device credential, once",
  oauthParameters: ZDeviceTokenRequest,
  responses: { 200: { description: '`{access_token: "ctlsd_…", token_type: "Bearer", expires_in, device_id}`' } },
});
export const getDeviceAccessOperation = defineOperation({
  id: "getDeviceAccess",
  method: "GET",
  path: "/api/v1/device/access",
  tag: "developer login",
  auth: DEVICE,
  summary: "The login's user, device, and the clusters and database users it may connect to",
  responses: { 200: { description: "`{user, device, clusters: [{id, name, databaseUsers, connect, loginCertificateHours}]}`" } },
});
export const forgetDeviceOperation = defineOperation({
  id: "forgetDevice",
  method: "DELETE",
  path: "/api/v1/device",
  tag: "developer login",
  auth: DEVICE,
  summary: "`cluster-tls logout`: the device revokes its own credential",
  responses: { 204: { description: "Revoked", contentTypes: [] } },
});
export const issueLoginCertificateOperation = defineOperation({
  id: "issueLoginCertificate",
  method: "POST",
  path: "/api/v1/clusters/{cluster}/login-certificates",
  tag: "developer login",
  auth: DEVICE,
  summary: "A short-lived client certificate for the laptop's key (CSR), with root.crt, the CRL and where to connect",
  body: ZLoginCertificateInput,
  errors: [422],
  responses: { 201: { description: "`{serial, certificatePem, notAfter, rootCertificatesPem, crlPem, connect}`" } },
});
