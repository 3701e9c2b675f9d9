import Fastify from 'fastify';
import { registerErrorHandling } from '../src/http-errors.ts';

/** The answer of an app with the kit's error handling whose one route throws `error`. */
export async function throwing(error: Error) {
  const app = Fastify();
  registerErrorHandling(app);
  app.get('/', async () => {
    throw error;
  });
  return app.inject('/');
}
