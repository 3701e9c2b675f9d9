import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRegistry } from '../src/registry.ts';
import { GENERATED_TYPES_FILE, generateTypes, REGENERATE_COMMAND } from '../src/typescript.ts';
import { loadFixture } from './fixtures.ts';

describe('generateTypes', () => {
  it(`matches the committed src/generated/types.ts (after a schema change, run ${REGENERATE_COMMAND})`, () => {
    const committed = readFileSync(GENERATED_TYPES_FILE, 'utf8');
    expect(
      committed,
      `src/generated/types.ts is stale: run ${REGENERATE_COMMAND} and commit the result`,
    ).toBe(generateTypes(loadRegistry()));
  });

  it('maps records, enums, nullable unions, arrays and logical types, with docs as JSDoc', () => {
    const generated = generateTypes(loadRegistry());
    expect(generated).toContain('export interface AdministrativePenalty {\n  /** 报送信封');
    expect(generated).toContain('  envelope: Envelope;\n');
    expect(generated).toContain("export type Operation = 'UPSERT' | 'REVOKE';");
    expect(generated).toContain('  penaltyCategories: PenaltyCategory[];\n');
    expect(generated).toContain('  fineAmount: DecimalString | null;\n');
    expect(generated).toContain(
      'Decimal string: at most 6 fraction digits, 18 digits in all. */\n  fineAmount',
    );
    expect(generated).toContain('  decisionDate: DateString;\n');
    expect(generated).toContain('  reportedAt: Date;\n');
    expect(generated).toContain('  legalRepresentative: LegalRepresentative | null;\n');
    expect(generated).toContain("  'administrative-penalty': AdministrativePenalty;\n");
    // Shared types are declared once, however many kinds use them.
    expect(generated.split('export interface Envelope {').length).toBe(2);
  });

  it('describes the current version of each kind', () => {
    expect(generateTypes(loadFixture('compatible'))).toContain('  channel: string | null;\n');
  });
});
