import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Runtime state of locally started infrastructure: data, logs, pid files. Never committed. */
export const RUN_DIR = process.env.CREDIT_RUN_DIR
  ? path.resolve(process.env.CREDIT_RUN_DIR)
  : path.join(ROOT, '.run');
export const LOG_DIR = path.join(RUN_DIR, 'logs');
export const STATE_FILE = path.join(RUN_DIR, 'infra.json');
export const KAFKA_PROJECT_DIR = path.join(ROOT, 'infra', 'kafka');
export const KAFKA_LIB_DIR = path.join(KAFKA_PROJECT_DIR, 'lib');
export const KAFKA_RUN_DIR = path.join(RUN_DIR, 'kafka');
export const POSTGRES_RUN_DIR = path.join(RUN_DIR, 'postgres');
export const KAFKA_TLS_DIR = path.join(KAFKA_RUN_DIR, 'tls');
