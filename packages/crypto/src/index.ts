export { decryptBuffer, encryptBuffer, encryptedSize } from './buffer-codec.js';
export { KEY_SIZE, NONCE_PREFIX_SIZE, SEGMENT_PLAINTEXT_SIZE, TAG_SIZE } from './constants.js';
export { createDataKey } from './data-key.js';
export { createDecryptStream } from './decrypt-stream.js';
export { createEncryptStream, type MemberCipherOptions } from './encrypt-stream.js';
export { type EncryptionHeader, unwrapDataKey, wrapDataKey } from './envelope.js';
export {
  CorruptDataError,
  CryptoError,
  EncryptionHeaderError,
  KeyFileError,
  MissingKeyError,
  PassphraseError,
  WrongKeyError,
} from './errors.js';
export { loadMasterKeyFile } from './key-file.js';
export { computeKeyId, type MasterKey, type ScryptParameters } from './master-key.js';
export { DEFAULT_SCRYPT_PARAMETERS, masterKeyFromPassphrase } from './passphrase.js';
