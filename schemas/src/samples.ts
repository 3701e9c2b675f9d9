import type { Envelope, RecordKind, RecordKinds } from './generated/types.ts';

/**
 * One realistic, valid value per kind (current version), for tests and demo data of every package. The
 * subject and people are fictitious; the codes pass their check-digit rules (GB 32100, GB 11643).
 */

export const SAMPLE_SUBJECT_CODE = '91350100M000100Y43';

/** Unified social credit codes of the (fictitious-code) Fuzhou authorities in the samples. */
export const SAMPLE_AUTHORITY_CODES = {
  marketRegulation: '113501000037021557',
  taxBureau: '1135010000362197XN',
  intermediateCourt: '11350100003753083C',
  developmentAndReform: '1135010000368740XW',
  provincialMarketRegulation: '11350000003014678X',
  ecologyAndEnvironment: '11350100003819265T',
} as const;

function envelope(
  fields: Omit<Envelope, 'subject' | 'operation' | 'version' | 'changeReason' | 'sealed'>,
): Envelope {
  return {
    ...fields,
    version: 1,
    operation: 'UPSERT',
    changeReason: null,
    // As decoded: nothing sealed yet (the SDK and the gateway seal the representative's number on the way out).
    sealed: null,
    subject: {
      category: 'LEGAL_ENTITY',
      code: SAMPLE_SUBJECT_CODE,
      codeType: 'USCC',
      name: '福州闽江智联科技有限公司',
      lei: null,
      legalRepresentative: {
        name: '林建华',
        idType: 'RESIDENT_IDENTITY_CARD',
        idNumber: '350102198001011233',
      },
      legacyCodes: {
        ...NO_LEGACY_CODES,
        registrationNumber: '350100100012345',
        organisationCode: 'M000100Y4',
      },
    },
  };
}

const NO_LEGACY_CODES = {
  registrationNumber: null,
  organisationCode: null,
  taxRegistrationNumber: null,
  publicInstitutionCertificateNumber: null,
  socialOrganisationRegistrationNumber: null,
};

export const samples: { readonly [K in RecordKind]: RecordKinds[K] } = {
  'administrative-licence': {
    envelope: envelope({
      sourceRecordId: 'XK-2024-000318',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
      decisionDate: '2024-03-15',
      reportedAt: new Date('2024-03-15T08:12:30.000Z'),
      catalogueItemCode: '350100-XZXK-0012',
      severity: 'BASIC',
    }),
    decisionDocumentName: '食品经营许可决定书',
    decisionDocumentNumber: '榕市监食许〔2024〕318号',
    licenceCategory: 'GENERAL',
    certificateName: '食品经营许可证',
    licenceNumber: 'JY13501020012345',
    licenceContent: '预包装食品销售（含冷藏冷冻食品）；散装食品销售（不含冷藏冷冻食品）',
    validFrom: '2024-03-15',
    validTo: '2029-03-14',
    licensingAuthority: '福州市市场监督管理局',
    licensingAuthorityCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
    status: 'VALID',
    remarks: null,
  },
  'administrative-penalty': {
    envelope: envelope({
      sourceRecordId: 'CF-2024-001207',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
      decisionDate: '2024-05-20',
      reportedAt: new Date('2024-05-21T01:45:00.000Z'),
      catalogueItemCode: '350100-XZCF-0007',
      severity: 'GENERAL_DISHONESTY',
    }),
    decisionDocumentNumber: '榕市监罚〔2024〕1207号',
    violationType: '经营标签不符合规定的预包装食品',
    violationFacts:
      '当事人于2024年2月至4月期间销售标签不符合《食品安全国家标准 预包装食品标签通则》的预包装食品共计1,250件，货值金额12,505.00元。',
    legalBasis: '《中华人民共和国食品安全法》第一百二十五条第一款第（二）项',
    penaltyCategories: ['FINE', 'CONFISCATION_OF_ILLEGAL_GAINS', 'CONFISCATION_OF_ILLEGAL_PROPERTY'],
    penaltyContent:
      '没收违法所得人民币3,250.50元，没收违法经营的食品；并处货值金额六倍罚款人民币75,030.00元。',
    fineAmount: '7.503000',
    confiscatedAmount: '0.325050',
    suspendedOrRevokedLicence: null,
    penaltyValidUntil: null,
    publicationDeadline: '2025-05-20',
    penalisingAuthority: '福州市市场监督管理局',
    penalisingAuthorityCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
    remarks: null,
  },
  'dishonest-judgment-debtor': {
    envelope: envelope({
      sourceRecordId: 'SX-2024-0102-0456',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.intermediateCourt,
      decisionDate: '2024-06-03',
      reportedAt: new Date('2024-06-03T09:00:00.000Z'),
      catalogueItemCode: '350100-SXBZXR-0001',
      severity: 'SERIOUS_DISHONESTY',
    }),
    caseNumber: '（2024）闽0102执1234号',
    enforcementCourt: '福州市鼓楼区人民法院',
    province: '福建',
    filingDate: '2024-01-08',
    enforcementBasisNumber: '（2023）闽0102民初5678号',
    enforcementBasisIssuer: '福州市鼓楼区人民法院',
    obligation:
      '被告福州闽江智联科技有限公司于判决生效之日起十日内支付原告货款人民币386,000元及逾期付款利息。',
    performance: 'NOT_PERFORMED',
    dishonestConduct: '有履行能力而拒不履行生效法律文书确定义务',
    performedPart: '暂无',
    unperformedPart: '货款人民币386,000元及逾期付款利息',
  },
  'credit-grade': {
    envelope: envelope({
      sourceRecordId: 'NSXY-2023-350100-0088',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.taxBureau,
      decisionDate: '2024-04-08',
      reportedAt: new Date('2024-04-08T03:00:00.000Z'),
      catalogueItemCode: '350100-XYDJ-0003',
      severity: 'POSITIVE',
    }),
    scheme: 'tax-credit-rating',
    schemeName: '纳税信用等级评价',
    level: 'A',
    levelName: 'A级纳税人',
    ratingPeriod: '2023',
    validFrom: '2024-04-08',
    validTo: null,
    ratingAuthority: '国家税务总局福州市税务局',
    ratingAuthorityCode: SAMPLE_AUTHORITY_CODES.taxBureau,
    remarks: null,
  },
  honour: {
    envelope: envelope({
      sourceRecordId: 'SHTZXY-2023-0517',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.provincialMarketRegulation,
      decisionDate: '2023-12-18',
      reportedAt: new Date('2023-12-19T02:20:00.000Z'),
      catalogueItemCode: '350000-SXBZ-0002',
      severity: 'POSITIVE',
    }),
    honourName: '守合同重信用企业',
    honourLevel: 'PROVINCIAL',
    awardDocumentNumber: '闽市监〔2023〕517号',
    content: '2021—2022年度福建省“守合同重信用”企业公示',
    awardingAuthority: '福建省市场监督管理局',
    awardingAuthorityCode: SAMPLE_AUTHORITY_CODES.provincialMarketRegulation,
    validFrom: '2023-12-18',
    validTo: '2025-12-17',
    remarks: null,
  },
  'credit-commitment': {
    envelope: envelope({
      sourceRecordId: 'CN-2024-000731',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
      decisionDate: '2024-03-01',
      reportedAt: new Date('2024-03-01T07:30:00.000Z'),
      catalogueItemCode: '350100-XYCN-0001',
      severity: 'BASIC',
    }),
    commitmentType: 'APPROVAL_SUBSTITUTION',
    commitmentMatter: '申请食品经营许可（告知承诺制）',
    commitmentContent:
      '本单位承诺所提交的申请材料真实、合法、有效，经营场所符合食品安全要求，如有虚假愿承担相应法律责任并接受信用惩戒。',
    receivingAuthority: '福州市市场监督管理局',
    receivingAuthorityCode: SAMPLE_AUTHORITY_CODES.marketRegulation,
    validFrom: '2024-03-01',
    validTo: '2029-03-14',
    fulfilment: 'IN_PROGRESS',
    breachDescription: null,
    remarks: null,
  },
  'list-designation': {
    envelope: envelope({
      sourceRecordId: 'MD-2024-HJ-0019',
      reportingDepartmentCode: SAMPLE_AUTHORITY_CODES.ecologyAndEnvironment,
      decisionDate: '2024-07-10',
      reportedAt: new Date('2024-07-10T06:15:00.000Z'),
      catalogueItemCode: '350100-MD-0004',
      severity: 'SERIOUS_DISHONESTY',
    }),
    listTypeCode: 'ENV-SERIOUS-DISHONESTY',
    listTypeName: '环境违法严重失信主体名单',
    designationDocumentNumber: '榕环信〔2024〕19号',
    designationBasis: '《企业环境信用评价办法（试行）》及福州市企业环境信用评价实施细则',
    designationReason: '一年内因超标排放水污染物受到两次以上行政处罚，且拒不改正。',
    designatingAuthority: '福州市生态环境局',
    designatingAuthorityCode: SAMPLE_AUTHORITY_CODES.ecologyAndEnvironment,
    validFrom: '2024-07-10',
    validTo: '2027-07-09',
    remarks: null,
  },
};

/** A fresh copy of a kind's sample, safe to modify. */
export function sampleRecord<K extends RecordKind>(kind: K): RecordKinds[K] {
  return structuredClone(samples[kind]);
}
