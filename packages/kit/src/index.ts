export * from './config.ts';
export * from './health.ts';
export * from './http-errors.ts';
export * from './kafka/index.ts';
export * from './logger.ts';
export * from './metrics.ts';
export * from './service-connections.ts';
export * from './shutdown.ts';
