// English wording of how a webhook proves itself and its requests: the signing scheme (and an
// Ed25519 webhook's public key on its card) and the endpoint authentication (OAuth2 client
// credentials), with the errors only these fields have.
export const enCredentials = {
  fieldSigning: "Signing scheme",
  fieldSigningHint:
    "How requests are signed. HMAC-SHA256: receivers check signatures with the shared signing secret. Ed25519: receivers check them with a public key, which cannot sign anything, so a leaked key lets nobody forge a request. Changing the scheme creates a new key; for 24 hours requests carry a signature of each scheme.",
  signingHmac: "HMAC-SHA256 (signing secret)",
  signingEd25519: "Ed25519 (public key)",
  fieldAuth: "Authentication",
  fieldAuthHint:
    "How the service signs in at the receiver, besides the signature. With OAuth2 it gets a token from the token URL with the client ID and secret before sending, and sends it with every request.",
  authNone: "None",
  authOauth: "OAuth2 client credentials",
  authTokenUrl: "Token URL",
  authTokenUrlHint: "Where the service gets its tokens, e.g. https://login.example.com/oauth/token.",
  authClientId: "Client ID",
  authClientIdHint: "The client ID the receiver's sign-in service gave you.",
  authClientSecret: "Client secret",
  authClientSecretHint:
    "A credential: once saved it stays hidden (••••) until you reveal it, and is kept when you leave it empty. A new token URL or client ID needs it again.",
  authScope: "Scope",
  authScopeHint: "Optional: the permissions to ask for, separated by spaces.",
  factAuth: "Authentication",
  publicKeyHeading: "Public key (Ed25519)",
  publicKeyLabel: "Public key",
  publicKeyCopied: "Public key copied.",
  publicKeyCopyFailed: "Copying failed: select the public key and copy it by hand.",
  publicKeyRotateHint:
    "Rotating creates a new key pair; for 24 hours requests also carry a signature made with the old key.",
  publicKeyRotated: "New key pair created. The old key keeps signing until {time}.",
  publicKeyVerifyHint:
    "Receivers check the v1a signature of every request with this public key. It cannot sign requests, so it may be shared freely.",
  "error_required_auth.client_secret": "Enter the client secret: a new token URL or client ID needs it again",
  "error_invalid_url_auth.token_url": "Must be an absolute URL, e.g. https://login.example.com/oauth/token",
  error_invalid_format_oauth_scope: 'Permissions are names separated by single spaces, without " or \\',
};
