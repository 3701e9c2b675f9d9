import { describe, expect, it } from 'vitest';
import { createCatalogue, loadCatalogue } from '../src/index.ts';
import { codedErrorOf, dataOf, fixture } from './helpers.ts';

const catalogue = loadCatalogue();

describe('disclosureWindow', () => {
  it('publishes a general-dishonesty penalty for one year from the decision', () => {
    expect(catalogue.disclosureWindow('administrative-penalty', 'GENERAL_DISHONESTY', '2024-05-20')).toEqual({
      public: true,
      from: '2024-05-20',
      until: '2025-05-20',
    });
  });

  it('publishes a serious-dishonesty penalty for three years', () => {
    expect(
      catalogue.disclosureWindow('administrative-penalty', 'SERIOUS_DISHONESTY', '2024-05-20').until,
    ).toBe('2027-05-20');
  });

  it('does not publish a BASIC penalty (a warning or 通报批评)', () => {
    expect(catalogue.disclosureWindow('administrative-penalty', 'BASIC', '2024-05-20')).toEqual({
      public: false,
      from: '2024-05-20',
      until: '2024-05-20',
    });
  });

  it('publishes a licence with no end', () => {
    expect(catalogue.disclosureWindow('administrative-licence', 'BASIC', '2024-03-15')).toEqual({
      public: true,
      from: '2024-03-15',
      until: null,
    });
  });

  it('keeps repair minimums beside the maximums', () => {
    const windows = catalogue.kindRule('administrative-penalty').windows;
    expect(
      windows.map(({ severity, months, minimumMonths }) => ({ severity, months, minimumMonths })),
    ).toEqual([
      { severity: 'BASIC', months: 0, minimumMonths: null },
      { severity: 'GENERAL_DISHONESTY', months: 12, minimumMonths: 3 },
      { severity: 'SERIOUS_DISHONESTY', months: 36, minimumMonths: 12 },
    ]);
    const debtor = catalogue.kindRule('dishonest-judgment-debtor').windows;
    expect(debtor).toMatchObject([{ severity: 'SERIOUS_DISHONESTY', months: null, minimumMonths: null }]);
  });

  it('counts calendar months and clamps to the end of a shorter month', () => {
    const data = dataOf(catalogue);
    const penalty = data.kinds.find((rule) => rule.kind === 'administrative-penalty')!;
    Object.assign(penalty.windows.find((window) => window.severity === 'GENERAL_DISHONESTY')!, {
      months: 1,
      minimumMonths: 1,
    });
    const monthly = createCatalogue(data);
    const until = (date: string) =>
      monthly.disclosureWindow('administrative-penalty', 'GENERAL_DISHONESTY', date).until;
    expect(until('2024-01-31')).toBe('2024-02-29');
    expect(until('2023-01-31')).toBe('2023-02-28');
    expect(until('2024-12-15')).toBe('2025-01-15');
    expect(
      catalogue.disclosureWindow('administrative-penalty', 'GENERAL_DISHONESTY', '2024-02-29').until,
    ).toBe('2025-02-28');
  });

  it('does not publish a kind disclosed to authorised users only', () => {
    const minimal = loadCatalogue(fixture('valid-minimal.yaml'));
    expect(minimal.kindRule('credit-commitment').disclosure).toBe('authorised');
    expect(minimal.disclosureWindow('credit-commitment', 'BASIC', '2024-03-01')).toEqual({
      public: false,
      from: '2024-03-01',
      until: '2024-03-01',
    });
  });

  it('refuses a date that is not a calendar date, and a severity the kind has no window for', () => {
    codedErrorOf(
      () => catalogue.disclosureWindow('administrative-penalty', 'GENERAL_DISHONESTY', '2024-02-30'),
      'CATALOGUE_INVALID_DATE',
    );
    const error = codedErrorOf(
      () => catalogue.disclosureWindow('administrative-licence', 'SERIOUS_DISHONESTY', '2024-02-01'),
      'CATALOGUE_NO_WINDOW',
    );
    expect(error.message).toContain('administrative-licence');
  });
});
