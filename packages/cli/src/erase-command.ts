import type { Readable } from 'node:stream';
import { tokeniseResidentId, validateResidentId } from '@credit/identifiers';
import type { Command } from 'commander';

/** A subject token: `p_` (resident identity number) or `d_` (other documents), then the HMAC's characters. */
const SUBJECT_TOKEN = /^[pd]_[a-z0-9]{16,64}$/;
/** Far more than an identity number and its line ending: stdin is not read past this. */
const MAX_INPUT_CHARACTERS = 256;

/**
 * The first line of `input`: the resident identity number, piped in or typed, so that it is never an argument
 * (shell history, `ps`). Reads at most MAX_INPUT_CHARACTERS.
 */
async function readIdentityNumber(input: Readable): Promise<string> {
  let text = '';
  for await (const chunk of input) {
    text += typeof chunk === 'string' ? chunk : (chunk as Buffer).toString('utf8');
    if (text.includes('\n') || text.length > MAX_INPUT_CHARACTERS) break;
  }
  const line = text.split(/\r?\n/)[0]?.trim() ?? '';
  if (line === '') throw new Error('no resident identity number on stdin (pipe it in, or pass --token)');
  if (line.length > MAX_INPUT_CHARACTERS)
    throw new Error('stdin does not start with a resident identity number');
  return line;
}

/** The person's token under the platform's SUBJECT_TOKEN_KEY; the error never quotes the number. */
function tokenOfResidentId(number: string, tokenKey: Buffer): string {
  const checked = validateResidentId(number);
  if (!checked.valid)
    throw new Error(`stdin holds no valid resident identity number: ${checked.reason.message}`);
  return tokeniseResidentId(checked.number, tokenKey);
}

/** Checked here, not by commander, whose refusal would repeat the value: a number passed by mistake. */
function subjectToken(value: string): string {
  if (!SUBJECT_TOKEN.test(value))
    throw new Error(
      '--token expects a subject token (p_… or d_…), not an identity number or a USCC; pipe a number on stdin instead',
    );
  return value;
}

interface EraseFlags {
  basis: string;
  operator: string;
  token?: string;
}

/**
 * `credit erase-person`: erases a natural person from the unified database where the law requires it (PIPL art.
 * 47; the credit repair and disclosure rules), leaving a tombstone and an audit row (services/aggregator
 * src/erasure.ts). The number comes on stdin and only its token leaves this process; the answer is one JSON line.
 */
export function erasePersonCommand(program: Command): void {
  program
    .command('erase-person')
    .description(
      "erase a natural person's data from the unified database (subject, names, records, summary), leaving a " +
        'tombstone and an audit row and telling downstream services; reads the resident identity number from ' +
        'stdin unless --token is given; prints a JSON summary, never the number',
    )
    .requiredOption('--basis <text>', 'the legal basis, e.g. "PIPL art. 47(1)(4); request 2026-118"')
    .requiredOption('--operator <who>', "who erases: the audit row's actor")
    .option('--token <token>', "the person's subject token (p_…), instead of the number on stdin")
    .action(async (flags: EraseFlags) => {
      const [aggregator, { createPool }, kit] = await Promise.all([
        import('@credit/aggregator/erasure'),
        import('@credit/db'),
        import('@credit/kit'),
      ]);
      const subjectCode =
        flags.token === undefined ? await tokenFromStdin(kit.decodeKey) : subjectToken(flags.token);
      const databaseUrl =
        process.env.DATABASE_URL ??
        (await import('@credit/infra')).requireInfrastructure('credit erase-person needs').databaseUrl;
      const pool = createPool(databaseUrl, {
        max: 1,
        applicationName: 'credit-erase-person',
        searchPath: aggregator.AGGREGATOR_SCHEMA,
      });
      try {
        const erased = await aggregator.erasePerson(pool, {
          subjectCode,
          basis: flags.basis,
          operator: flags.operator,
          now: new Date(),
        });
        process.stdout.write(`${JSON.stringify({ erased: true, ...erased })}\n`);
      } catch (error) {
        const refused = aggregator.ERASURE_REFUSALS.find((definition) => definition.is(error));
        if (refused === undefined || !refused.is(error)) throw error;
        process.stdout.write(
          `${JSON.stringify({ erased: false, code: error.code, message: error.message, ...error.details })}\n`,
        );
        process.exitCode = 1;
      } finally {
        await pool.end();
      }
    });
}

async function tokenFromStdin(decodeKey: (text: string) => Buffer): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('resident identity number (then Enter): ');
  const number = await readIdentityNumber(process.stdin);
  const key =
    process.env.SUBJECT_TOKEN_KEY ?? (await import('@credit/infra')).localSecrets().SUBJECT_TOKEN_KEY;
  return tokenOfResidentId(number, decodeKey(key));
}
