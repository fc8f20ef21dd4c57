export { KeyVault, createVault, VAULT_NAMESPACE } from './vault.js';
export { seal, open, encryptionKey, keyId, VaultCryptoError, type EncryptionKey } from './crypto.js';
export { dataFolderFor, loadOrCreateKeyFile, readKeyFile, KEY_FILE_NAME } from './key-file.js';
export { openStoreAdapter, StoreConfigError } from './store.js';
export { VaultError } from './errors.js';
