import { PrismaPg } from '@prisma/adapter-pg';

/**
 * The driver adapter Prisma 7 needs, bound to one service's PostgreSQL schema:
 * `new PrismaClient({ adapter: prismaAdapter(url, 'aggregator') })` with the client generated for that service.
 */
export function prismaAdapter(url: string, schema: string, options: { max?: number } = {}): PrismaPg {
  return new PrismaPg({ connectionString: url, max: options.max ?? 10 }, { schema });
}

interface ModelDelegate {
  findFirst(args?: unknown): Promise<unknown>;
}

/**
 * Migrations are plain SQL and the Prisma schema describes the same tables, so the two can drift. Reading every
 * model once after migrating fails with Prisma's own error (P2021 table missing, P2022 column missing) when the
 * schema names a table or column the migrations did not create. Each service's tests call this.
 */
export async function findPrismaDrift(client: object, modelNames: readonly string[]): Promise<string[]> {
  const problems: string[] = [];
  for (const model of modelNames) {
    const delegate = (client as Record<string, ModelDelegate | undefined>)[
      model.charAt(0).toLowerCase() + model.slice(1)
    ];
    if (!delegate) {
      problems.push(`${model}: the client has no delegate for this model`);
      continue;
    }
    try {
      await delegate.findFirst();
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      problems.push(
        `${model}: ${code ?? 'error'} ${message?.split('\n').filter(Boolean).pop() ?? ''}`.trim(),
      );
    }
  }
  return problems;
}
