export { startDynalite, type DynaliteServerOptions } from './dynalite-server';
export { startDynamoDbLocal, type DynamoDbLocalOptions } from './dynamodb-local-server';
export { startKinesalite, type KinesaliteServerOptions } from './kinesalite-server';
export {
  freePort,
  listenOnLoopback,
  LOCAL_CLIENT_CONFIG,
  LOCAL_INFRASTRUCTURE_TIMEOUTS,
  type LocalServer,
} from './local-server';
