import { makeResidentId } from '@credit/identifiers';
import { type AdministrativePenalty, sampleRecord } from '@credit/schemas';

export const PERSON_NUMBER = makeResidentId({ division: '350102', birthDate: '1985-11-30', sequence: 123 });
export const REPRESENTATIVE_NUMBER = makeResidentId({
  division: '350103',
  birthDate: '1970-02-14',
  sequence: 456,
});

/**
 * A penalty on a natural person with every identity number in clear: the subject's code, a legal representative's
 * number and the person's number quoted in the facts, as a producer that did not seal them would send it.
 */
export function personPenalty(): AdministrativePenalty {
  const record = sampleRecord('administrative-penalty');
  record.envelope.subject = {
    ...record.envelope.subject,
    category: 'NATURAL_PERSON',
    codeType: 'RESIDENT_IDENTITY_CARD',
    code: PERSON_NUMBER,
    name: '王小明',
    legalRepresentative: {
      name: '王大明',
      idType: 'RESIDENT_IDENTITY_CARD',
      idNumber: REPRESENTATIVE_NUMBER,
    },
    legacyCodes: null,
  };
  record.violationFacts = `当事人王小明（公民身份号码${PERSON_NUMBER}）销售标签不符合规定的预包装食品。`;
  return record;
}
