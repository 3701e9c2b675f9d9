import { describe, expect, it } from 'vitest';
import { type GrantCheck, loadCatalogue } from '../src/index.ts';

const catalogue = loadCatalogue();

function refusal(verdict: GrantCheck): { code: string; message: string } {
  if (verdict.allowed) throw new Error(`expected a refusal, got item ${verdict.item.code}`);
  return { code: verdict.code, message: verdict.message };
}

describe('check: may a department report this record?', () => {
  it('allows market regulation to report a general food-safety penalty under its item', () => {
    const verdict = catalogue.check(
      'market-regulation',
      'administrative-penalty',
      '350100-XZCF-0007',
      'GENERAL_DISHONESTY',
    );
    expect(verdict.allowed).toBe(true);
  });

  it('refuses a department the catalogue does not have', () => {
    const { code, message } = refusal(
      catalogue.check('land-resources', 'administrative-penalty', '350100-XZCF-0007', 'BASIC'),
    );
    expect(code).toBe('CATALOGUE_UNKNOWN_DEPARTMENT');
    expect(message).toContain('land-resources');
  });

  it('refuses a kind no item grants the department', () => {
    const { code, message } = refusal(
      catalogue.check('intermediate-court', 'administrative-licence', '350100-XZXK-0012', 'BASIC'),
    );
    expect(code).toBe('CATALOGUE_KIND_NOT_GRANTED');
    expect(message).toMatch(/intermediate-court.*福州市中级人民法院.*administrative-licence/);
  });

  it('refuses an item code the catalogue does not have, naming the items that would do', () => {
    const { code, message } = refusal(
      catalogue.check('tax', 'administrative-penalty', '350100-XZCF-9999', 'BASIC'),
    );
    expect(code).toBe('CATALOGUE_ITEM_UNKNOWN');
    expect(message).toMatch(/350100-XZCF-9999.*tax.*350100-XZCF-0001/);
  });

  it("refuses another department's item", () => {
    const { code, message } = refusal(
      catalogue.check('tax', 'administrative-penalty', '350100-XZCF-0007', 'BASIC'),
    );
    expect(code).toBe('CATALOGUE_ITEM_OTHER_DEPARTMENT');
    expect(message).toMatch(/350100-XZCF-0007.*market-regulation.*tax/);
  });

  it('refuses an item of the department that is for another kind', () => {
    const { code, message } = refusal(
      catalogue.check('market-regulation', 'administrative-penalty', '350100-XZXK-0012', 'BASIC'),
    );
    expect(code).toBe('CATALOGUE_ITEM_KIND_MISMATCH');
    expect(message).toMatch(/350100-XZXK-0012.*administrative-licence.*administrative-penalty/);
  });

  it('refuses a severity the item does not allow', () => {
    const { code, message } = refusal(
      catalogue.check(
        'market-regulation',
        'administrative-licence',
        '350100-XZXK-0012',
        'SERIOUS_DISHONESTY',
      ),
    );
    expect(code).toBe('CATALOGUE_SEVERITY_NOT_ALLOWED');
    expect(message).toMatch(/350100-XZXK-0012.*market-regulation.*SERIOUS_DISHONESTY.*BASIC/);
  });

  it('lists the items that grant a department a kind', () => {
    expect(catalogue.grants('market-regulation', 'list-designation').map((item) => item.code)).toEqual([
      '350100-MD-0001',
      '350100-MD-0002',
    ]);
    expect(catalogue.grants('finance', 'administrative-licence')).toEqual([]);
  });
});
