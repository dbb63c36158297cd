// local-server, not the servers index: bundles that build a Lambda context (the bench's worker) must not pull in
// the emulators.
import { LOCAL_CLIENT_CONFIG } from '../servers/local-server';

/**
 * The account and region the local pipeline pretends to run in. ARNs in local events (stream, role, function,
 * delivery stream) use them so that handlers see the same shapes as in AWS.
 */
export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = LOCAL_CLIENT_CONFIG.region;
