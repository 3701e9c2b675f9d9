import { Command, InvalidArgumentError } from 'commander';
import { auditCommand } from './audit-command.ts';
import { dlqCommand } from './dlq-command.ts';
import { erasePersonCommand } from './erase-command.ts';
import { checkIdentifiers } from './id-check.ts';
import { kafkaCommand } from './kafka-command.ts';
import { keysCommand } from './keys.ts';
import { pushCommand } from './push-command.ts';
import { replayCommand, snapshotCommand } from './replay-command.ts';
import { signingKeysCommand } from './signing-keys-command.ts';

const program = new Command('credit').description('Command line of the credit data exchange platform');

const id = program.command('id').description('unified social credit codes and identity numbers');
id.command('check')
  .description(
    'read codes from stdin, one a line; write one JSON line per code: normalised code, valid or not, type, kind, ' +
      'and the precise reason when invalid. Resident identity numbers are only ever written masked.',
  )
  .option('--strict', 'exit with status 1 when any code is invalid')
  .option('--today <date>', 'YYYY-MM-DD used to judge birth dates (default: today)', parseDate)
  .addHelpText(
    'after',
    '\nWith CREDIT_TOKEN_KEY set (hex, at least 32 bytes), valid resident identity numbers also get their token.',
  )
  .action(async (options: { strict?: boolean; today?: string }) => {
    const tokenKey = process.env.CREDIT_TOKEN_KEY
      ? Buffer.from(process.env.CREDIT_TOKEN_KEY, 'hex')
      : undefined;
    const summary = await checkIdentifiers(process.stdin, process.stdout, { tokenKey, today: options.today });
    process.stderr.write(`checked ${summary.checked}: ${summary.valid} valid, ${summary.invalid} invalid\n`);
    if (options.strict && summary.invalid > 0) process.exitCode = 1;
  });

keysCommand(program);
pushCommand(program);
replayCommand(program);
snapshotCommand(program);
auditCommand(program);
dlqCommand(program);
erasePersonCommand(program);
kafkaCommand(program);
signingKeysCommand(program);

function parseDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('expected YYYY-MM-DD');
  return value;
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  console.error(`credit: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
