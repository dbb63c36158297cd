import { startDynalite } from '../../local-aws/servers/dynalite-server';

/**
 * Runs dynalite alone in this process and tells the parent its endpoint. The bench gives the emulator a process
 * (an event loop) of its own, as DynamoDB runs apart from the Lambda that calls it.
 */
void startDynalite().then((server) => {
  process.send?.({ endpoint: server.endpoint });
  const stop = (): void => void server.stop().then(() => process.exit(0));
  process.on('disconnect', stop);
  process.on('SIGTERM', stop);
});
