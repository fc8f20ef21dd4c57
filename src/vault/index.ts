export { KeyVault, createVault, VAULT_NAMESPACE } from './vault.js';
export { encryptionKey } from './crypto.js';
export { dataFolderFor, KEY_FILE_NAME } from './key-file.js';
export { openStoreAdapter, StoreConfigError } from './store.js';
