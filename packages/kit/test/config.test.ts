import Type from 'typebox';
import { describe, expect, it } from 'vitest';
import {
  brokersOf,
  CommonEnv,
  ConfigError,
  DatabaseEnv,
  HttpEnv,
  KafkaEnv,
  loadConfig,
} from '../src/config.ts';

const schema = Type.Object({ ...CommonEnv, ...KafkaEnv, ...DatabaseEnv, ...HttpEnv });

describe('loadConfig', () => {
  it('returns typed values with defaults applied and numbers converted', () => {
    const config = loadConfig(schema, {
      KAFKA_BROKERS: '127.0.0.1:9092,127.0.0.1:9094',
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/credit',
      HTTP_PORT: '8080',
    });
    expect(config.HTTP_PORT).toBe(8080);
    expect(config.HTTP_HOST).toBe('127.0.0.1');
    expect(config.LOG_LEVEL).toBe('info');
    expect(brokersOf(config.KAFKA_BROKERS)).toEqual(['127.0.0.1:9092', '127.0.0.1:9094']);
  });

  it('names every missing and every malformed variable in one error', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { HTTP_PORT: 'eighty', LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toContain(
      'KAFKA_BROKERS is missing (Kafka bootstrap servers, comma-separated host:port)',
    );
    expect(message).toMatch(/HTTP_PORT .*got 'eighty'/);
    expect(message).toMatch(/LOG_LEVEL .*got 'loud'/);
    expect(message).toMatch(/DATABASE_URL .*got 'mysql:\/\/x'/);
  });

  it('treats an empty variable as unset', () => {
    expect(() =>
      loadConfig(schema, { KAFKA_BROKERS: '  ', DATABASE_URL: 'postgresql://h/db', HTTP_PORT: '1' }),
    ).toThrow(/KAFKA_BROKERS is missing/);
  });
});
