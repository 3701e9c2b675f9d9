import { isCodedError } from '@credit/errors';
import { createLogger } from '@credit/kit';
import { infraFootprint } from './footprint.ts';
import { infraDown, infraStatus, infraUp } from './infra.ts';

const logger = createLogger({ service: 'infra', level: process.env.LOG_LEVEL ?? 'info' });
const [command, ...flags] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (command) {
    case 'up': {
      const state = await infraUp(logger);
      console.log(`Kafka      ${state.kafka.brokers}  (${state.kafka.source})`);
      console.log(`PostgreSQL ${state.database.url}  (${state.database.source})`);
      return 0;
    }
    case 'status': {
      const report = await infraStatus(logger);
      console.log(JSON.stringify(report, null, 2));
      return report.kafka.answering && report.database.answering ? 0 : 1;
    }
    case 'down':
      await infraDown(logger, { purge: flags.includes('--purge') });
      return 0;
    case 'footprint':
      console.log(JSON.stringify(await infraFootprint(logger), null, 2));
      return 0;
    default:
      console.error('usage: infra up | status | down [--purge] | footprint');
      return 2;
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Coded errors already say what is wrong and what to do; anything else is a bug and gets its stack.
    console.error(isCodedError(error) ? `infra ${command}: ${error.message}` : error);
    process.exit(1);
  },
);
