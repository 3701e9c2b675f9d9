import { computeOrganisationCodeCheckCharacter, makeResidentId, makeUscc } from '@credit/identifiers';
import type { RecordKind } from '@credit/schemas';
import { describe, expect, it } from 'vitest';
import { contracts, prepareRecord } from '../src/index.ts';
import { DEPARTMENTS } from './fixtures/catalogue.ts';
import { codesOf, contextFor, type LooseRecord, NOW, prepare, rejectionsOf, wire } from './helpers.ts';

const PERSON_ID = makeResidentId({ division: '350102', birthDate: '1985-03-12', sequence: 123 });

/** The penalty sample about a natural person instead of a company. */
function aboutPerson(record: LooseRecord): void {
  Object.assign(record.envelope.subject, {
    category: 'NATURAL_PERSON',
    code: PERSON_ID,
    codeType: 'RESIDENT_IDENTITY_CARD',
    name: '陈小明',
    legalRepresentative: null,
    legacyCodes: null,
  });
}

type Case = [code: string, kind: RecordKind, edit: (record: LooseRecord) => void, field: string | undefined];

const otherOrganisationCode = `12345678${computeOrganisationCodeCheckCharacter('12345678')}`;

const CASES: Case[] = [
  [
    'INTAKE_DEPARTMENT_MISMATCH',
    'administrative-penalty',
    (r) => {
      r.envelope.reportingDepartmentCode = DEPARTMENTS.tax.uscc;
    },
    'envelope.reportingDepartmentCode',
  ],
  [
    'CATALOGUE_SEVERITY_NOT_ALLOWED',
    'administrative-penalty',
    (r) => {
      r.envelope.severity = 'BASIC';
    },
    'envelope.severity',
  ],
  [
    'CATALOGUE_ITEM_UNKNOWN',
    'administrative-penalty',
    (r) => {
      r.envelope.catalogueItemCode = '350100-XZCF-9999';
    },
    'envelope.catalogueItemCode',
  ],
  [
    'CATALOGUE_ITEM_KIND_MISMATCH',
    'administrative-penalty',
    (r) => {
      r.envelope.catalogueItemCode = '350100-XZXK-0012';
    },
    'envelope.catalogueItemCode',
  ],
  [
    'INTAKE_SUBJECT_CODE',
    'administrative-penalty',
    (r) => {
      r.envelope.subject.code = '91350100M000100Y4X';
    },
    'envelope.subject.code',
  ],
  [
    'INTAKE_SUBJECT_CODE_TYPE',
    'administrative-penalty',
    (r) => {
      aboutPerson(r);
      r.envelope.subject.category = 'LEGAL_ENTITY';
    },
    'envelope.subject.codeType',
  ],
  [
    'INTAKE_LEGACY_CODE',
    'administrative-licence',
    (r) => {
      r.envelope.subject.legacyCodes!.organisationCode = otherOrganisationCode;
    },
    'envelope.subject.legacyCodes.organisationCode',
  ],
  [
    'INTAKE_LEI',
    'honour',
    (r) => {
      r.envelope.subject.lei = '5493001KJTIIGC8Y1R13';
    },
    'envelope.subject.lei',
  ],
  [
    'INTAKE_AUTHORITY_CODE',
    'administrative-penalty',
    (r) => {
      r.penalisingAuthorityCode = '113501000037021558';
    },
    'penalisingAuthorityCode',
  ],
  [
    'INTAKE_DATE_OUT_OF_RANGE',
    'honour',
    (r) => {
      r.envelope.decisionDate = '2025-06-02';
    },
    'envelope.decisionDate',
  ],
  [
    'INTAKE_DATE_ORDER',
    'administrative-licence',
    (r) => {
      r.validTo = '2024-03-14';
    },
    'validTo',
  ],
  [
    'INTAKE_AMOUNT_NEGATIVE',
    'administrative-penalty',
    (r) => {
      r.fineAmount = '-7.5';
    },
    'fineAmount',
  ],
  [
    'INTAKE_FINE_WITHOUT_AMOUNT',
    'administrative-penalty',
    (r) => {
      r.fineAmount = null;
    },
    'fineAmount',
  ],
  [
    'INTAKE_REVOKE_WITHOUT_REASON',
    'list-designation',
    (r) => {
      r.envelope.operation = 'REVOKE';
    },
    'envelope.changeReason',
  ],
  [
    'INTAKE_VERSION',
    'credit-grade',
    (r) => {
      r.envelope.version = 0;
    },
    'envelope.version',
  ],
  [
    'INTAKE_RECORD_ID',
    'honour',
    (r) => {
      r.envelope.sourceRecordId = 'A\tB';
    },
    'envelope.sourceRecordId',
  ],
  [
    'INTAKE_EMPTY_FIELD',
    'dishonest-judgment-debtor',
    (r) => {
      r.obligation = '   ';
    },
    'obligation',
  ],
];

describe('validateRecord: one rejection per problem', () => {
  it.each(CASES)('%s (%s)', (code, kind, edit, field) => {
    const result = prepare(kind, edit);
    expect(result.ok).toBe(false);
    expect(rejectionsOf(result)).toEqual([expect.objectContaining({ code, field })]);
    const [rejection] = rejectionsOf(result);
    expect(rejection?.message.length).toBeGreaterThan(10);
    expect(rejection?.rule).toBeTruthy();
  });

  it('accepts every sample as it is', () => {
    for (const kind of ['administrative-penalty', 'honour', 'credit-grade'] as const)
      expect(prepare(kind).ok).toBe(true);
  });

  it('reports three problems of one record as three rejections, each naming field, value and rule', () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.decisionDate = '2025-05-21';
      r.confiscatedAmount = '-0.5';
      r.envelope.operation = 'REVOKE';
    });
    const rejections = rejectionsOf(result);
    expect(rejections.map((r) => r.code).sort()).toEqual([
      'INTAKE_AMOUNT_NEGATIVE',
      'INTAKE_DATE_ORDER',
      'INTAKE_REVOKE_WITHOUT_REASON',
    ]);
    for (const rejection of rejections) {
      expect(rejection.message).toContain(rejection.field);
      expect(rejection.message).toContain(rejection.rule);
      if (rejection.value !== undefined) expect(rejection.message).toContain(rejection.value);
    }
  });

  it('reports exactly three rejections for three independent problems', () => {
    const result = prepare('honour', (r) => {
      r.envelope.sourceRecordId = '';
      r.awardingAuthorityCode = '11350000003014678Y';
      r.validTo = '2020-01-01';
    });
    expect(codesOf(result)).toEqual(['INTAKE_RECORD_ID', 'INTAKE_AUTHORITY_CODE', 'INTAKE_DATE_ORDER']);
  });

  it('passes the identifiers reason code as the rule', () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.subject.code = '91350100M000100Y4X';
    });
    expect(rejectionsOf(result)[0]).toMatchObject({
      code: 'INTAKE_SUBJECT_CODE',
      value: '91350100M000100Y4X',
      rule: 'USCC_CHECK_CHARACTER',
    });
    expect(rejectionsOf(result)[0]?.message).toContain("check character is 'X'");
  });
});

describe('subjects', () => {
  it('accepts a natural person keyed by a valid resident identity number', () => {
    expect(prepare('administrative-penalty', aboutPerson).ok).toBe(true);
  });

  it('checks a resident identity number with today in China, and masks it', () => {
    const bornTomorrow = makeResidentId({ division: '350102', birthDate: '2025-06-02', sequence: 1 });
    const result = prepare('administrative-penalty', (r) => {
      aboutPerson(r);
      r.envelope.subject.code = bornTomorrow;
    });
    expect(rejectionsOf(result)).toEqual([
      expect.objectContaining({
        code: 'INTAKE_SUBJECT_CODE',
        rule: 'ID_BIRTH_DATE',
        value: `**************${bornTomorrow.slice(-4)}`,
      }),
    ]);
    // 2025-06-01 at 23:30 in Beijing is 15:30 UTC: the birth date 2025-06-01 is today, not in the future.
    const bornToday = makeResidentId({ division: '350102', birthDate: '2025-06-01', sequence: 1 });
    const lateEvening = prepareRecord(
      wire('administrative-penalty', (r) => {
        aboutPerson(r);
        r.envelope.subject.code = bornToday;
      }),
      contextFor('administrative-penalty', new Date('2025-05-31T16:30:00Z')),
    );
    expect(lateEvening.ok).toBe(true);
  });

  it("checks the legal representative's identity number and the legacy codes", () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.subject.legalRepresentative!.idNumber = '350102198001011234';
      r.envelope.subject.legacyCodes!.organisationCode = 'M000100Y5';
      r.envelope.subject.legacyCodes!.registrationNumber = '35010010001234';
    });
    expect(rejectionsOf(result).map((r) => [r.code, r.field, r.rule])).toEqual([
      ['INTAKE_SUBJECT_CODE', 'envelope.subject.legalRepresentative.idNumber', 'ID_CHECK_CHARACTER'],
      ['INTAKE_LEGACY_CODE', 'envelope.subject.legacyCodes.registrationNumber', 'REG_LENGTH'],
      ['INTAKE_LEGACY_CODE', 'envelope.subject.legacyCodes.organisationCode', 'ORG_CHECK_CHARACTER'],
    ]);
    expect(rejectionsOf(result)[0]?.value).toBe('**************1234');
  });

  it('refuses a USCC that is really a resident identity number without quoting it', () => {
    const result = prepare('administrative-penalty', (r) => {
      r.envelope.subject.code = PERSON_ID;
    });
    expect(rejectionsOf(result)[0]).toMatchObject({
      code: 'INTAKE_SUBJECT_CODE',
      rule: 'LOOKS_LIKE_RESIDENT_ID',
    });
    expect(JSON.stringify(result)).not.toContain(PERSON_ID);
  });

  it('refuses a natural person keyed by a USCC and checks other document types loosely', () => {
    const uscc = prepare('administrative-penalty', (r) => {
      aboutPerson(r);
      r.envelope.subject.codeType = 'USCC';
      r.envelope.subject.code = makeUscc({
        authority: '9',
        entityType: '1',
        division: '350100',
        organisationBody: 'MA2Y0000',
      });
    });
    expect(codesOf(uscc)).toEqual(['INTAKE_SUBJECT_CODE_TYPE']);
    const passport = prepare('administrative-penalty', (r) => {
      aboutPerson(r);
      Object.assign(r.envelope.subject, { codeType: 'PASSPORT', code: 'E12345678' });
    });
    expect(passport.ok).toBe(true);
    const badPassport = prepare('administrative-penalty', (r) => {
      aboutPerson(r);
      Object.assign(r.envelope.subject, { codeType: 'PASSPORT', code: 'E1234#5678' });
    });
    expect(rejectionsOf(badPassport)[0]).toMatchObject({
      code: 'INTAKE_SUBJECT_CODE',
      rule: 'DOCUMENT_NUMBER_CHARSET',
    });
  });
});

describe('dates, amounts, record ids', () => {
  it('refuses dates before 1949-10-01 and past events in the future', () => {
    const result = prepare('dishonest-judgment-debtor', (r) => {
      r.filingDate = '1949-09-30';
      r.envelope.decisionDate = '2025-06-02';
    });
    expect(rejectionsOf(result).map((r) => [r.field, r.rule])).toEqual([
      ['envelope.decisionDate', 'NOT_IN_FUTURE'],
      ['filingDate', 'NOT_BEFORE_1949_10_01'],
    ]);
  });

  it('takes "today" in China: the decision of 2 June is not in the future at 00:30 Beijing time on 2 June', () => {
    const form = wire('honour', (r) => {
      r.envelope.decisionDate = '2025-06-02';
    });
    expect(prepareRecord(form, contextFor('honour', new Date('2025-06-01T16:30:00Z'))).ok).toBe(true);
    expect(prepareRecord(form, contextFor('honour', new Date('2025-06-01T15:30:00Z'))).ok).toBe(false);
  });

  it('orders the validity of every kind that has one', () => {
    const cases: [RecordKind, (r: LooseRecord) => void, string][] = [
      [
        'credit-grade',
        (r) => {
          r.validTo = '2024-04-07';
        },
        'validFrom <= validTo',
      ],
      [
        'credit-commitment',
        (r) => {
          r.validTo = '2024-02-29';
        },
        'validFrom <= validTo',
      ],
      [
        'list-designation',
        (r) => {
          r.validTo = '2024-07-09';
        },
        'validFrom <= validTo',
      ],
      [
        'administrative-penalty',
        (r) => {
          r.penaltyValidUntil = '2024-05-19';
        },
        'envelope.decisionDate <= penaltyValidUntil',
      ],
      [
        'dishonest-judgment-debtor',
        (r) => {
          r.filingDate = '2024-06-04';
        },
        'filingDate <= envelope.decisionDate',
      ],
    ];
    for (const [kind, edit, rule] of cases) {
      expect(rejectionsOf(prepare(kind, edit))).toEqual([
        expect.objectContaining({ code: 'INTAKE_DATE_ORDER', rule }),
      ]);
    }
  });

  it('refuses empty and overlong record ids, and versions below 1', () => {
    expect(
      rejectionsOf(
        prepare('honour', (r) => {
          r.envelope.sourceRecordId = ' ';
        }),
      )[0]?.rule,
    ).toBe('NOT_EMPTY');
    expect(
      rejectionsOf(
        prepare('honour', (r) => {
          r.envelope.sourceRecordId = 'X'.repeat(129);
        }),
      )[0]?.rule,
    ).toBe('AT_MOST_128_CHARACTERS');
    expect(
      prepare('honour', (r) => {
        r.envelope.sourceRecordId = '记'.repeat(128);
      }).ok,
    ).toBe(true);
    expect(
      codesOf(
        prepare('honour', (r) => {
          r.envelope.version = -3;
        }),
      ),
    ).toEqual(['INTAKE_VERSION']);
  });

  it('accepts a REVOKE that says why', () => {
    const result = prepare('list-designation', (r) => {
      r.envelope.operation = 'REVOKE';
      r.envelope.changeReason = '已完成信用修复，移出名单';
    });
    expect(result.ok).toBe(true);
  });
});

describe('encoding', () => {
  it('turns a codec failure into a rejection instead of throwing', () => {
    const base = contracts();
    const broken = {
      ...base,
      codec: {
        ...base.codec,
        encodeChecked: () => {
          throw new Error('disk on fire');
        },
      },
    };
    const result = prepareRecord(wire('honour'), { ...contextFor('honour'), contracts: broken });
    expect(result).toMatchObject({ ok: false, rejections: [{ code: 'INTAKE_ENCODING' }] });
    expect(rejectionsOf(result)[0]?.message).toContain('disk on fire');
    expect(NOW).toBeInstanceOf(Date);
  });
});
