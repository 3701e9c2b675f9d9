import net from 'node:net';
import { CodedError } from '@credit/errors';
import Fastify from 'fastify';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerErrorHandling } from '../src/http-errors.ts';
import { asUnavailable } from '../src/unavailable.ts';
import { throwing } from './throwing-app.ts';

const { KafkaJSConnectionError, KafkaJSProtocolError } = kafkajs;

/** The error Node gives for a connection to a port nothing listens on. */
async function refusedConnection(): Promise<Error> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return new Promise((resolve) => net.connect(port, '127.0.0.1').on('error', resolve));
}

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('asUnavailable', () => {
  it('knows a refused connection, whatever the address, without naming it', async () => {
    const unavailable = asUnavailable(await refusedConnection());
    expect(unavailable?.code).toBe('DATABASE_UNAVAILABLE');
    expect(unavailable?.statusCode).toBe(503);
    expect(unavailable?.details.retryAfterSeconds).toBe(5);
    expect(unavailable?.message).toContain('connection refused');
    expect(unavailable?.message).not.toContain('127.0.0.1');
  });

  it.each([
    [
      'a session ended by a fast shutdown',
      withCode('terminating connection due to administrator command', '57P01'),
    ],
    [
      'a crash of the server',
      withCode('terminating connection because of crash of another server process', '57P02'),
    ],
    ['a server still starting', withCode('the database system is starting up', '57P03')],
    ['a connection exception (class 08)', withCode('connection failure', '08006')],
    ['a connection reset', withCode('read ECONNRESET', 'ECONNRESET')],
    ["pg-pool's connection timeout", new Error('timeout exceeded when trying to connect')],
    ["pg's lost connection", new Error('Connection terminated unexpectedly')],
  ])('knows %s as the database unavailable', (_what, error) => {
    expect(asUnavailable(error)?.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('knows a broker connection failure as Kafka unavailable, not the database, despite its socket code', () => {
    const error = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED', {
      code: 'ECONNREFUSED',
    });
    expect(asUnavailable(error)?.code).toBe('KAFKA_UNAVAILABLE');
  });

  it.each([
    ['a unique violation', withCode('duplicate key value violates unique constraint', '23505')],
    [
      'a statement cancelled by its timeout',
      withCode('canceling statement due to statement timeout', '57014'),
    ],
    ['a bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    [
      'a broker refusal retrying cannot cure',
      new KafkaJSProtocolError(
        Object.assign(new Error('Not authorized to access topics'), { retriable: false }),
      ),
    ],
    ['a message merely mentioning a lost connection', new Error('Connection terminated unexpectedly, twice')],
  ])('leaves %s alone', (_what, error) => {
    expect(asUnavailable(error)).toBeUndefined();
  });
});

describe('the HTTP answer while a dependency is down', () => {
  it('is a coded 503 with Retry-After, not a 500', async () => {
    const response = await throwing(await refusedConnection());
    expect(response.statusCode).toBe(503);
    expect(response.headers['retry-after']).toBe('5');
    expect(response.json().error).toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      details: { retryAfterSeconds: 5 },
    });
  });

  it('is not turned into a 500 by a route whose response schema for 503 describes something else', async () => {
    const app = Fastify();
    registerErrorHandling(app);
    const result = {
      type: 'object',
      required: ['index', 'status'],
      properties: { index: { type: 'integer' }, status: { type: 'string' } },
    };
    const refused = await refusedConnection();
    app.get('/', { schema: { response: { 202: result, 503: result } } }, async () => {
      throw refused;
    });
    const response = await app.inject('/');
    expect(response.statusCode).toBe(503);
    expect(response.json().error.code).toBe('DATABASE_UNAVAILABLE');
  });

  it('keeps a coded error its own answer', async () => {
    const response = await throwing(new CodedError('INTAKE_IN_PROGRESS', 409, 'in progress'));
    expect(response.statusCode).toBe(409);
    expect(response.headers['retry-after']).toBeUndefined();
  });
});
