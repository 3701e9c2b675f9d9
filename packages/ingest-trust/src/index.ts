export { TRUST_CODES, type TrustCode, type TrustRefusal } from './codes.ts';
export {
  createSigningKeyRegistry,
  listSigningKeys,
  migrateSigningKeys,
  type RegisteredKey,
  registerSigningKey,
  revokeSigningKey,
  type SigningKeyRegistry,
} from './key-registry.ts';
export {
  createSealer,
  createUnsealer,
  generateSealingKeyPair,
  holdsIdentityNumbers,
  type Sealer,
  sealingKeyId,
  sealingPublicKeyOf,
  type Unsealer,
} from './sealing.ts';
export {
  algorithmOf,
  createSigner,
  generateSigningKeyPair,
  loadSigners,
  SIGNATURE_HEADERS,
  type Signer,
  type SigningAlgorithm,
  type SigningKeyPair,
  signedBytes,
  signingKeyId,
  verifySignature,
} from './signing.ts';
export { type SignedMessage, signingKeyIdOf, verifyIngestSignature } from './verify.ts';
