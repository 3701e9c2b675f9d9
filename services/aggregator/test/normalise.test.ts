import { chinaToday } from '@credit/calendar';
import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { makeResidentId, maskResidentId, tokeniseResidentId } from '@credit/identifiers';
import { contracts, toWire } from '@credit/intake';
import type { IncomingMessage } from '@credit/kit';
import { demoRecord, demoSubjects, sampleDepartment } from '@credit/sample-data';
import { type RecordKind, type RecordKinds, SAMPLE_SUBJECT_CODE, samples } from '@credit/schemas';
import { shiftDate, testSigner } from '@credit/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { createIdentityCipher } from '../src/identity-cipher.ts';
import { type NormaliseContext, type Normalised, normaliseMessages, type Refused } from '../src/normalise.ts';
import type { IdentityKeys } from '../src/subject-identity.ts';
import { type TestTrust, testTrust } from './trust-context.ts';

const KEYS: IdentityKeys = {
  tokenKey: Buffer.alloc(32, 7),
  cipher: createIdentityCipher(Buffer.alloc(32, 9)),
};
const PREFIX = 'credit.ingest.';
const catalogue: Catalogue = loadCatalogue();
const NOW = new Date();
let ctx: NormaliseContext;
let trusted: TestTrust;
beforeAll(async () => {
  trusted = await testTrust(catalogue, PREFIX);
  ctx = {
    catalogue,
    contracts: contracts(),
    keys: KEYS,
    trust: trusted.trust,
    topicPrefix: PREFIX,
    // One instant for the file: "today" cannot turn over between a test choosing a date and the check.
    now: () => NOW,
  };
  return () => trusted.close();
});
const codec = contracts().codec;
const KINDS = Object.keys(samples) as RecordKind[];
const PERSON = makeResidentId({ division: '350102', birthDate: '1980-05-17', sequence: 123 });

function message(topic: string, value: Buffer | null, headers: Record<string, string> = {}): IncomingMessage {
  return {
    topic,
    partition: 2,
    offset: '41',
    key: Buffer.from('key'),
    value,
    headers: Object.fromEntries(Object.entries(headers).map(([name, text]) => [name, Buffer.from(text)])),
    timestamp: Date.parse('2025-06-15T00:00:00Z'),
  };
}

/** Raw bytes on a department's topic, signed by that department (what reaches decoding). */
function signedMessage(topic: string, value: Buffer | null): IncomingMessage {
  const department = topic.slice(PREFIX.length);
  const signer = catalogue.department(department) ? testSigner(department) : undefined;
  return message(topic, value, signer && value ? signer.headers(Buffer.from('key'), value) : {});
}

async function one(incoming: IncomingMessage): Promise<Normalised | Refused> {
  return (await normaliseMessages([incoming], ctx))[0]!;
}

/** A valid record of `kind` by the department the catalogue grants it to, about a generated enterprise. */
function record<K extends RecordKind>(kind: K, id = `n-${kind}`): RecordKinds[K] {
  return demoRecord(kind, sampleDepartment(catalogue, kind), catalogue, demoSubjects(3)[2]!, id, 10);
}

/** A dishonest-judgment-debtor record about a natural person with identity number `code`. */
function personRecord(code: string, codeType: 'RESIDENT_IDENTITY_CARD' | 'USCC' = 'RESIDENT_IDENTITY_CARD') {
  const value = record('dishonest-judgment-debtor', 'n-person');
  Object.assign(value.envelope.subject, {
    category: 'NATURAL_PERSON',
    codeType,
    code,
    name: ' 张三 ',
    lei: null,
    legalRepresentative: null,
    legacyCodes: null,
  });
  return value;
}

function normalise<K extends RecordKind>(
  kind: K,
  value: RecordKinds[K],
  department = sampleDepartment(catalogue, kind),
) {
  return one(trusted.sent(kind, value, department));
}

function accepted(result: Normalised | Refused): Normalised {
  if (!result.ok) throw new Error(`expected the message to be accepted, refused: ${JSON.stringify(result)}`);
  return result;
}

function refused(result: Normalised | Refused): Refused {
  if (result.ok) throw new Error('expected the message to be refused, it was accepted');
  return result;
}

/** No resident identity number in clear, whatever the case or the separators around its characters. */
function expectNoIdentityNumber(text: string, number: string): void {
  expect(text).not.toContain(number);
  expect(text.replace(/[^0-9A-Za-z]/g, '').toUpperCase()).not.toContain(number.toUpperCase());
}

describe('normaliseMessage of a valid record', async () => {
  it('reads an enterprise record into its subject and record rows', async () => {
    const kind = 'administrative-penalty';
    const department = sampleDepartment(catalogue, kind);
    const value = record(kind, 'CF-n-1');
    const result = accepted(await one(trusted.sent(kind, value, department)));
    const envelope = value.envelope;
    const code = envelope.subject.code;
    expect(result.subject).toEqual({
      code,
      codeType: 'USCC',
      category: 'LEGAL_ENTITY',
      kind: 'enterprise',
      displayCode: code,
      identityCiphertext: null,
      divisionCode: code.slice(2, 8),
      legacyCodes: [{ code: code.slice(8, 17), type: 'ORGANISATION_CODE' }],
      name: envelope.subject.name,
      reportedAt: envelope.reportedAt,
    });
    expect(result.record).toMatchObject({
      department: department.code,
      sourceRecordId: 'CF-n-1',
      version: 1,
      subjectCode: code,
      kind,
      schemaVersion: 2,
      catalogueItemCode: envelope.catalogueItemCode,
      severity: envelope.severity,
      operation: 'UPSERT',
      decisionDate: envelope.decisionDate,
      reportedAt: envelope.reportedAt,
      changeReason: null,
      topic: `${PREFIX}${department.code}`,
      partition: 2,
      offset: '41',
    });
  });

  it.each(KINDS)('gives a %s record the disclosure window of the catalogue', async (kind) => {
    const value = record(kind);
    const { record: row } = accepted(await normalise(kind, value));
    const window = catalogue.disclosureWindow(kind, value.envelope.severity, value.envelope.decisionDate);
    expect(row.kind).toBe(kind);
    expect(row.department).toBe(sampleDepartment(catalogue, kind).code);
    expect({ public: row.disclosurePublic, from: row.disclosureFrom, until: row.disclosureUntil }).toEqual(
      window,
    );
  });

  it('stores a penalty that is not to be published with an empty window', async () => {
    const value = record('administrative-penalty');
    value.envelope.severity = 'BASIC';
    value.penaltyCategories = ['WARNING'];
    value.fineAmount = null;
    value.confiscatedAmount = null;
    const { record: row } = accepted(await normalise('administrative-penalty', value));
    expect(row).toMatchObject({
      disclosurePublic: false,
      disclosureFrom: value.envelope.decisionDate,
      disclosureUntil: value.envelope.decisionDate,
    });
  });

  it('takes the department from the topic, with the version, operation and reason of a correction', async () => {
    const value = record('administrative-licence');
    Object.assign(value.envelope, { version: 3, operation: 'REVOKE', changeReason: '许可被撤销' });
    const { record: row } = accepted(await normalise('administrative-licence', value));
    expect(row).toMatchObject({
      department: 'market-regulation',
      version: 3,
      operation: 'REVOKE',
      changeReason: '许可被撤销',
    });
  });

  it('stores the record in its JSON wire form, the legal representative’s identity number masked', async () => {
    const value = record('administrative-penalty');
    const representative = value.envelope.subject.legalRepresentative!.idNumber!;
    const { record: row } = accepted(await normalise('administrative-penalty', value));
    const expected = toWire('administrative-penalty', structuredClone(value)).record;
    expected.envelope.subject.legalRepresentative!.idNumber = maskResidentId(representative);
    expect(JSON.parse(JSON.stringify(row.payload))).toEqual(JSON.parse(JSON.stringify(expected)));
    expectNoIdentityNumber(JSON.stringify(row.payload), representative);
  });

  it('keys a natural person by a token and keeps the identity number out of the payload', async () => {
    const result = accepted(await normalise('dishonest-judgment-debtor', personRecord(PERSON)));
    const token = tokeniseResidentId(PERSON, KEYS.tokenKey);
    expect(result.subject).toMatchObject({
      code: token,
      kind: 'natural_person',
      category: 'NATURAL_PERSON',
      displayCode: maskResidentId(PERSON),
      divisionCode: '350102',
      legacyCodes: [],
      name: '张三',
    });
    expect(KEYS.cipher.decrypt(result.subject.identityCiphertext!)).toBe(`RESIDENT_IDENTITY_CARD:${PERSON}`);
    expect(result.record.subjectCode).toBe(token);
    const payload = JSON.parse(JSON.stringify(result.record.payload));
    expect(payload.envelope.subject).toMatchObject({
      code: token,
      codeType: 'RESIDENT_IDENTITY_CARD',
      category: 'NATURAL_PERSON',
    });
    expectNoIdentityNumber(JSON.stringify(payload), PERSON);
    expectNoIdentityNumber(
      JSON.stringify({ ...result, subject: { ...result.subject, identityCiphertext: null } }),
      PERSON,
    );
  });

  it('keys a natural person written with spaces the same as written plainly', async () => {
    const spaced = `${PERSON.slice(0, 6)} ${PERSON.slice(6, 14)} ${PERSON.slice(14)}`;
    const plain = accepted(await normalise('dishonest-judgment-debtor', personRecord(PERSON)));
    const written = accepted(await normalise('dishonest-judgment-debtor', personRecord(spaced)));
    expect(written.subject.code).toBe(plain.subject.code);
    expect(written.record.subjectCode).toBe(plain.subject.code);
    expectNoIdentityNumber(JSON.stringify(written.record.payload), PERSON);
  });
});

describe('normaliseMessage of a message it cannot use', async () => {
  it('refuses a topic of no department of the catalogue, without a department', async () => {
    const value = codec.encode('administrative-penalty', record('administrative-penalty'));
    const result = refused(await one(signedMessage(`${PREFIX}no-such-department`, value)));
    expect(result.department).toBeNull();
    expect(result.reason.code).toBe('AGG_UNKNOWN_DEPARTMENT');
    expect(result.reason.message).toContain(`${PREFIX}no-such-department`);
    expect(result.reason.message).toContain(catalogue.version);
  });

  it('refuses the bare prefix as a topic of no department', async () => {
    const result = refused(await one(signedMessage(PREFIX, Buffer.from('x'))));
    expect(result).toMatchObject({ department: null, reason: { code: 'AGG_UNKNOWN_DEPARTMENT' } });
  });

  it.each([
    ['no value (a tombstone)', null],
    ['an empty value', Buffer.alloc(0)],
  ])('refuses a message with %s as AGG_NO_VALUE of the topic’s department', async (_, value) => {
    const result = refused(await one(signedMessage(`${PREFIX}market-regulation`, value)));
    expect(result).toMatchObject({ department: 'market-regulation', reason: { code: 'AGG_NO_VALUE' } });
  });

  it('refuses bytes that are not Avro single-object encoded as SCHEMA_NOT_SINGLE_OBJECT', async () => {
    const junk = Buffer.from('9f3a77c1e0d54b2a8866', 'hex');
    const result = refused(await one(signedMessage(`${PREFIX}market-regulation`, junk)));
    expect(result).toMatchObject({
      department: 'market-regulation',
      reason: { code: 'SCHEMA_NOT_SINGLE_OBJECT' },
    });
  });

  it('refuses JSON sent instead of Avro as SCHEMA_NOT_SINGLE_OBJECT', async () => {
    const json = Buffer.from(
      JSON.stringify(toWire('administrative-penalty', record('administrative-penalty'))),
    );
    const result = refused(await one(signedMessage(`${PREFIX}market-regulation`, json)));
    expect(result.reason.code).toBe('SCHEMA_NOT_SINGLE_OBJECT');
  });

  it('refuses a message whose schema fingerprint no schema has as SCHEMA_UNKNOWN_FINGERPRINT', async () => {
    const fingerprint = Buffer.from('0102030405060708', 'hex');
    const body = codec.encode('administrative-penalty', record('administrative-penalty')).subarray(10);
    const unknown = Buffer.concat([Buffer.from([0xc3, 0x01]), fingerprint, body]);
    const result = refused(await one(signedMessage(`${PREFIX}market-regulation`, unknown)));
    expect(result).toMatchObject({
      department: 'market-regulation',
      reason: { code: 'SCHEMA_UNKNOWN_FINGERPRINT' },
    });
    expect(result.reason.message).toContain('0102030405060708');
  });

  it('refuses a known schema’s message whose body is cut short as SCHEMA_UNDECODABLE', async () => {
    const whole = codec.encode('administrative-penalty', record('administrative-penalty'));
    const cut = whole.subarray(0, whole.length - 20);
    const result = refused(await one(signedMessage(`${PREFIX}market-regulation`, cut)));
    expect(result.reason.code).toBe('SCHEMA_UNDECODABLE');
  });

  it('refuses an invalid USCC with the intake’s code, naming the field', async () => {
    const value = record('administrative-penalty');
    value.envelope.subject.code = `${SAMPLE_SUBJECT_CODE.slice(0, 17)}4`;
    const result = refused(await normalise('administrative-penalty', value));
    expect(result.department).toBe('market-regulation');
    expect(result.reason.code).toBe('INTAKE_SUBJECT_CODE');
    expect(result.reason.message).toContain('envelope.subject.code');
    expect(result.reason.message).toContain('USCC_CHECK_CHARACTER');
  });

  it('refuses a record reporting as another department with INTAKE_DEPARTMENT_MISMATCH', async () => {
    const value = record('administrative-penalty');
    const court = sampleDepartment(catalogue, 'dishonest-judgment-debtor');
    value.envelope.reportingDepartmentCode = court.uscc;
    const result = refused(await normalise('administrative-penalty', value));
    expect(result.department).toBe('market-regulation');
    expect(result.reason.code).toBe('INTAKE_DEPARTMENT_MISMATCH');
    expect(result.reason.message).toContain('envelope.reportingDepartmentCode');
    expect(result.reason.message).toContain(court.uscc);
  });

  it('refuses a valid record sent on another department’s topic, which the catalogue does not grant it', async () => {
    const value = record('administrative-penalty');
    const result = refused(
      await normalise(
        'administrative-penalty',
        value,
        sampleDepartment(catalogue, 'dishonest-judgment-debtor'),
      ),
    );
    expect(result.department).toBe('intermediate-court');
    expect(result.reason.code).toBe('INTAKE_DEPARTMENT_MISMATCH');
    expect(result.reason.message).toContain('CATALOGUE_KIND_NOT_GRANTED');
  });

  it('names every rejection of the record in the reason, the first one’s code as the reason code', async () => {
    const value = record('administrative-penalty');
    value.envelope.subject.code = `${SAMPLE_SUBJECT_CODE.slice(0, 17)}4`;
    value.envelope.sourceRecordId = '   ';
    const result = refused(await normalise('administrative-penalty', value));
    expect(result.reason.code).toBe('INTAKE_RECORD_ID');
    expect(result.reason.message).toMatch(
      /^INTAKE_RECORD_ID at envelope\.sourceRecordId: .+; INTAKE_SUBJECT_CODE at envelope\.subject\.code: /,
    );
  });
});

describe('normaliseMessage never lets a resident identity number out in a reason', async () => {
  const wrongCheck = `${PERSON.slice(0, 17)}${PERSON.endsWith('1') ? '2' : '1'}`;
  const noSuchDate = `${PERSON.slice(0, 6)}19801317${PERSON.slice(14)}`;

  it.each([
    ['a wrong check character', wrongCheck],
    ['a wrong check character, written with spaces', `${wrongCheck.slice(0, 6)} ${wrongCheck.slice(6)}`],
    ['a birth date that does not exist', noSuchDate],
  ])('masks an invalid natural person’s number with %s', async (_, code) => {
    const result = refused(await normalise('dishonest-judgment-debtor', personRecord(code)));
    expect(result.reason.code).toBe('INTAKE_SUBJECT_CODE');
    expect(result.reason.message).toContain(maskResidentId(code));
    expectNoIdentityNumber(result.reason.message, code.replace(/\s/g, ''));
  });

  it('does not quote a natural person’s number sent as a USCC', async () => {
    const result = refused(await normalise('dishonest-judgment-debtor', personRecord(PERSON, 'USCC')));
    expect(result.reason.code).toBe('INTAKE_SUBJECT_CODE');
    expect(result.reason.message).toContain('INTAKE_SUBJECT_CODE_TYPE');
    expectNoIdentityNumber(result.reason.message, PERSON);
  });

  it('masks a natural person’s number in a record refused for another reason too', async () => {
    const value = personRecord(wrongCheck);
    value.envelope.sourceRecordId = '';
    const result = refused(await normalise('dishonest-judgment-debtor', value));
    expect(result.reason.code).toBe('INTAKE_RECORD_ID');
    expectNoIdentityNumber(result.reason.message, wrongCheck);
  });

  it('masks an invalid identity number of a legal representative', async () => {
    const value = record('administrative-penalty');
    value.envelope.subject.legalRepresentative = {
      name: '林建华',
      idType: 'RESIDENT_IDENTITY_CARD',
      idNumber: wrongCheck.toLowerCase(),
    };
    const result = refused(await normalise('administrative-penalty', value));
    expect(result.reason.message).toContain('envelope.subject.legalRepresentative.idNumber');
    expectNoIdentityNumber(result.reason.message, wrongCheck);
  });
});

describe('content rules on decoded records', async () => {
  it('refuses what the gateway would refuse: a negative fine, dates out of order, a blank required text', async () => {
    const value = record('administrative-penalty', 'n-content');
    Object.assign(value, {
      violationFacts: '   ',
      fineAmount: '-5.000000',
      publicationDeadline: '2000-01-01',
    });
    const result = refused(await normalise('administrative-penalty', value));
    expect(result.reason.message).toMatch(/INTAKE_AMOUNT_NEGATIVE/);
    expect(result.reason.message).toMatch(/INTAKE_DATE_ORDER/);
    expect(result.reason.message).toMatch(/INTAKE_EMPTY_FIELD/);
  });

  it('refuses a decision dated in the future', async () => {
    const value = record('dishonest-judgment-debtor', 'n-future');
    // Tomorrow in China by the clock the check is given, not a year the real calendar will one day reach.
    value.envelope.decisionDate = shiftDate(chinaToday(NOW), 1);
    expect(refused(await normalise('dishonest-judgment-debtor', value)).reason.message).toMatch(
      /INTAKE_DATE_OUT_OF_RANGE/,
    );
  });

  it('masks a resident identity number written with spaces in a refusal reason', async () => {
    const spaced = `${PERSON.slice(0, 6)} ${PERSON.slice(6, 14)} ${PERSON.slice(14)}`;
    const result = refused(await normalise('dishonest-judgment-debtor', personRecord(spaced, 'USCC')));
    expect(result.reason.message).not.toContain(PERSON.slice(6, 14));
  });
});
