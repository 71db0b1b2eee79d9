/**
 * The Node SDK's wire marker for a secret value: `{ [secretSignature]: secretSignatureValue, value }`. It shows up in
 * mocks, in policy inputs handed over by tests, and in the SDK's printed RPC responses.
 */
export const secretSignature = "4dabf18193072939515e22adb298388d";
export const secretSignatureValue = "1b47061264138c4ac30d75fd1eb44270";
