/**
 * The sandbox's built-in TLS certificate, so clients that always speak https/wss (most legacy
 * clients build `https://<host>/mms/…` media URLs whatever the server says) reach the sandbox's
 * port. Self-signed, valid 2020–2049 for `localhost`, `127.0.0.1`, `::1` and
 * `*.sandbox.invalid`; its private key is public (it is in this file), so trust it only inside
 * a test process (an `https.Agent({ ca })`, `NODE_EXTRA_CA_CERTS`), never system-wide. Pass
 * `tls: { key, cert }` to `startSandbox` to use a certificate of your own.
 * @module
 */

/** The certificate (PEM); it is its own CA, so this is also what clients pass as `ca`. */
export const SANDBOX_TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIB4TCCAYegAwIBAgIBATAKBggqhkjOPQQDAjAsMSowKAYDVQQDDCF3YS1zYW5k
Ym94IGxvY2FsIHRlc3QgY2VydGlmaWNhdGUwHhcNMjAwMTAxMDAwMDAwWhcNNDkx
MjMxMDAwMDAwWjAsMSowKAYDVQQDDCF3YS1zYW5kYm94IGxvY2FsIHRlc3QgY2Vy
dGlmaWNhdGUwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAT9HodXddFOH8roy6zZ
AxQbQYfD8Wl4Y49nUp8yLwaPhOHG4VRD98NI6/SCQ8qofVkiQ0HT2ACwYDOR6HST
2lOgo4GZMIGWMD8GA1UdEQQ4MDaCCWxvY2FsaG9zdIcEfwAAAYcQAAAAAAAAAAAA
AAAAAAAAAYIRKi5zYW5kYm94LmludmFsaWQwDwYDVR0TAQH/BAUwAwEB/zAOBgNV
HQ8BAf8EBAMCAoQwEwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFOhDzBPi
yIFZMjeOXkW3K+ZW+2IZMAoGCCqGSM49BAMCA0gAMEUCIGly4KG8bu0KBH87hujF
3BM8S5z5rXKHqz0EkcVzy28oAiEAtkBAmX6e8vjnlxcKJu4nUeCh42C+xCvfcEQP
61rILyQ=
-----END CERTIFICATE-----
`;

/** The certificate's private key (PEM, P-256). Public by design: a test key. */
export const SANDBOX_TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg7LvhEvKpGWYa5TYj
kH/MBrCg0S/mdy+qsgacQSeYH3OhRANCAAT9HodXddFOH8roy6zZAxQbQYfD8Wl4
Y49nUp8yLwaPhOHG4VRD98NI6/SCQ8qofVkiQ0HT2ACwYDOR6HST2lOg
-----END PRIVATE KEY-----
`;
