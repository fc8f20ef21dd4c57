export { HeliactylClient } from './client.js';
export type {
  ApiStatus,
  BanOptions,
  HeliactylClientOptions,
  Interaction,
  Resources,
  ServerDetail,
  ServerSummary,
  UserInfo,
  UserInteractions,
  UserServerDetails,
  UserServers,
} from './client.js';
export { HeliactylError, isHeliactylError, type HeliactylErrorKind } from './errors.js';
