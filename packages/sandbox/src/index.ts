/**
 * `@wa/sandbox`: a faithful legacy WhatsApp Web server with a simulated phone and scripted
 * contacts, for offline tests, demos and bots. `startSandbox()` runs it on a local WebSocket;
 * everything from `@wa/sandbox/core` is re-exported for advanced use.
 * @module
 */
export * from './core.js';
export { startSandbox, type RunningSandbox, type SandboxTls, type StartSandboxOptions } from './node/start-sandbox.js';
export { SANDBOX_TLS_CERT, SANDBOX_TLS_KEY } from './node/tls-certificate.js';
export { CONTROL_BODY_LIMIT, CONTROL_ROUTES, MEDIA_ROUTES, MESSAGE_BODY_LIMIT, type ControlMethod, type ControlRoute, type MessageView } from './node/control-api.js';
export { controlOpenApi, type Schema as OpenApiSchema } from './node/openapi.js';
