// Generated from schemas/avro by `pnpm schemas:types` (schemas/src/typescript.ts). Do not edit.
// One interface per record of each kind's current version; enums are string unions.

/** An Avro decimal as an exact string with exactly the schema's scale of fraction digits, e.g. '1250.500000'. */
export type DecimalString = string;

/** An Avro date as 'YYYY-MM-DD' (a calendar date, no time zone). */
export type DateString = string;

/**
 * 行政许可 / An administrative licence decision (双公示). Fields follow the 行政许可 part of the 信用中国 双公示 data standard (2021); the subject-identity group (行政相对人名称, 类别, 统一社会信用代码, 工商注册号 ..., 法定代表人, 证件类型, 证件号码) is in envelope.subject, 许可决定日期 is envelope.decisionDate and 数据来源单位统一社会信用代码 is envelope.reportingDepartmentCode.
 *
 * Avro: credit.records.AdministrativeLicence
 */
export interface AdministrativeLicence {
  /** 报送信封 / Common envelope; decisionDate is the 许可决定日期 (licence decision date). */
  envelope: Envelope;
  /** 行政许可决定文书名称 / Title of the licence decision document. Source: 双公示 行政许可 data standard (2021). */
  decisionDocumentName: string;
  /** 行政许可决定文书号 / Number of the licence decision document. Source: 双公示 行政许可 data standard (2021). */
  decisionDocumentNumber: string;
  /** 许可类别 / Licence category. Source: 双公示 行政许可 data standard (2021). */
  licenceCategory: LicenceCategory;
  /** 许可证书名称 / Name of the licence certificate, when a certificate is issued. Source: 双公示 行政许可 data standard (2021). */
  certificateName: string | null;
  /** 许可编号 / Number of the licence (certificate), when there is one. Source: 双公示 行政许可 data standard (2021). */
  licenceNumber: string | null;
  /** 许可内容 / What is licensed. Source: 双公示 行政许可 data standard (2021). */
  licenceContent: string;
  /** 有效期自 / First day of validity. Source: 双公示 行政许可 data standard (2021). */
  validFrom: DateString;
  /** 有效期至 / Last day of validity; a licence valid indefinitely (长期有效) is reported as 2099-12-31. Source: 双公示 行政许可 data standard (2021). */
  validTo: DateString;
  /** 许可机关 / Name of the authority that granted the licence. Source: 双公示 行政许可 data standard (2021). */
  licensingAuthority: string;
  /** 许可机关统一社会信用代码 / Unified social credit code of the licensing authority. Source: 双公示 行政许可 data standard (2021). */
  licensingAuthorityCode: string;
  /** 当前状态 / Current status of the licence. Source: 双公示 行政许可 data standard (2021). */
  status: LicenceStatus;
  /** 备注 / Remarks. Source: 双公示 行政许可 data standard (2021). */
  remarks: string | null;
}

/**
 * 报送信封 / What every credit record carries, whatever its kind: who reported it, about whom, when, under which catalogue item and how serious it is. First field of every kind's record.
 *
 * Avro: credit.common.Envelope
 */
export interface Envelope {
  /** 源记录标识 / The reporting department's own identifier of the record; with reportingDepartmentCode it identifies the record across its corrections. */
  sourceRecordId: string;
  /** 记录版本号 / Version of the record: 1 when first reported, increased by the department with each correction. The platform keeps the highest version it received. */
  version: number;
  /** 操作类型 / UPSERT reports or corrects the record; REVOKE withdraws it. */
  operation: Operation;
  /** 报送部门统一社会信用代码 / Unified social credit code of the reporting department (数据来源单位统一社会信用代码 of the 双公示 data standard, 2021); the department's name (数据来源单位) comes from the platform's department directory. */
  reportingDepartmentCode: string;
  /** 信用主体 / The subject the record is about (行政相对人). */
  subject: Subject;
  /** 决定日期 / Date of the decision the record reports (许可决定日期, 处罚决定日期, 发布时间, ...); each kind's record doc says which date it is. */
  decisionDate: DateString;
  /** 报送时间 / When the department reported this version of the record. */
  reportedAt: Date;
  /** 信用信息目录项代码 / Code of the item of the public credit information catalogue (公共信用信息目录) the record is reported under. */
  catalogueItemCode: string;
  /** 信息类别 / Class of the information: basic, positive, general or serious dishonesty. */
  severity: Severity;
  /** 更正或撤销原因 / Why this version corrects (version > 1) or revokes (operation REVOKE) the record; null on a first report. */
  changeReason: string | null;
  /** 密封信息 / The identity numbers of this record sealed for the platform; null when the record holds none (a subject with a USCC and no legal representative's number). Not part of the JSON or CSV wire form (`wire: false`): departments send the numbers in their own fields, and the SDK and the ingest gateway seal them; code that builds a record leaves this out. */
  sealed?: Sealed | null;
}

/**
 * 操作类型 / What the department does with the record: report or correct it (UPSERT), or withdraw it (REVOKE, e.g. a penalty annulled on review). No enum default on purpose: an older reader must never map an operation it does not know onto one it does.
 *
 * Avro: credit.common.Operation
 */
export type Operation = 'UPSERT' | 'REVOKE';

/**
 * 信用主体 / The subject a record is about (行政相对人): the subject-identity group of the 双公示 data standard, shared by every kind.
 *
 * Avro: credit.common.Subject
 */
export interface Subject {
  /** 行政相对人类别 / Category of the subject. Source: 双公示 data standard (2021), 行政相对人类别. */
  category: SubjectCategory;
  /** 主体代码 / The subject's key: the unified social credit code (统一社会信用代码, GB 32100) for organisations and individual businesses, the identity document number (证件号码) for natural persons. Source: 双公示 data standard (2021), 统一社会信用代码 / 证件号码. */
  code: string;
  /** 代码类型 / What kind of code `code` is: USCC for organisations, the identity document type (证件类型) for natural persons. Source: 双公示 data standard (2021), 证件类型. */
  codeType: IdDocumentType;
  /** 行政相对人名称 / Name of the subject: registered name of an organisation or individual business, full name of a natural person. Source: 双公示 data standard (2021), 行政相对人名称. */
  name: string;
  /** 法人机构识别编码 / Legal Entity Identifier (ISO 17442, 20 characters), when the organisation has one. */
  lei: string | null;
  /** 法定代表人 / Legal representative of an organisation or operator of an individual business; null for natural persons. Source: 双公示 data standard (2021), 法定代表人, 法定代表人证件类型, 法定代表人证件号码. */
  legalRepresentative: LegalRepresentative | null;
  /** 历史代码 / Pre-USCC codes the subject was reported with (工商注册号, 组织机构代码, ...); null when none were reported. */
  legacyCodes: LegacyCodes | null;
}

/**
 * 行政相对人类别 / Category of the subject: LEGAL_ENTITY 法人及非法人组织, NATURAL_PERSON 自然人, INDIVIDUAL_BUSINESS 个体工商户. Source: 双公示 行政许可/行政处罚 data standard (2021), 行政相对人类别.
 *
 * Avro: credit.common.SubjectCategory
 */
export type SubjectCategory = 'LEGAL_ENTITY' | 'NATURAL_PERSON' | 'INDIVIDUAL_BUSINESS';

/**
 * 代码/证件类型 / Kind of code or identity document: USCC 统一社会信用代码, RESIDENT_IDENTITY_CARD 居民身份证, PASSPORT 护照, HK_MACAO_TRAVEL_PERMIT 港澳居民来往内地通行证, TAIWAN_TRAVEL_PERMIT 台湾居民来往大陆通行证, HK_MACAO_TAIWAN_RESIDENCE_PERMIT 港澳台居民居住证, FOREIGN_PERMANENT_RESIDENT_ID 外国人永久居留身份证, OTHER 其他. Source: 双公示 data standard (2021), 证件类型 / 法定代表人证件类型. Default OTHER so that readers of an older version accept a document type added later.
 *
 * Avro: credit.common.IdDocumentType
 */
export type IdDocumentType = 'USCC' | 'RESIDENT_IDENTITY_CARD' | 'PASSPORT' | 'HK_MACAO_TRAVEL_PERMIT' | 'TAIWAN_TRAVEL_PERMIT' | 'HK_MACAO_TAIWAN_RESIDENCE_PERMIT' | 'FOREIGN_PERMANENT_RESIDENT_ID' | 'OTHER';

/**
 * 法定代表人 / Legal representative (or person in charge, 负责人; operator, 经营者, of an individual business) of an organisation subject.
 *
 * Avro: credit.common.LegalRepresentative
 */
export interface LegalRepresentative {
  /** 法定代表人 / Name of the legal representative. Source: 双公示 data standard (2021), 法定代表人. */
  name: string;
  /** 法定代表人证件类型 / Type of the legal representative's identity document. Source: 双公示 data standard (2021), 法定代表人证件类型. */
  idType: IdDocumentType | null;
  /** 法定代表人证件号码 / Number of the legal representative's identity document; personal data, never published. Source: 双公示 data standard (2021), 法定代表人证件号码. */
  idNumber: string | null;
}

/**
 * 历史代码 / Codes an organisation subject was registered under before the unified social credit code, as the department reported them; they let the platform link older records to the subject.
 *
 * Avro: credit.common.LegacyCodes
 */
export interface LegacyCodes {
  /** 工商注册号 / Business registration number. Source: 双公示 data standard (2021), 工商注册号. */
  registrationNumber: string | null;
  /** 组织机构代码 / Organisation code (GB 11714). Source: 双公示 data standard (2021), 组织机构代码. */
  organisationCode: string | null;
  /** 税务登记号 / Tax registration number. Source: 双公示 data standard (2021), 税务登记号. */
  taxRegistrationNumber: string | null;
  /** 事业单位证书号 / Public institution legal person certificate number. Source: 双公示 data standard (2021), 事业单位证书号. */
  publicInstitutionCertificateNumber: string | null;
  /** 社会组织登记证号 / Social organisation registration certificate number. Source: 双公示 data standard (2021), 社会组织登记证号. */
  socialOrganisationRegistrationNumber: string | null;
}

/**
 * 信息类别 / Class of the credit information under the public credit information catalogue: BASIC 基础信息, POSITIVE 良好信息 (守信), GENERAL_DISHONESTY 一般失信信息, SERIOUS_DISHONESTY 严重失信信息. Drives publication periods, credit repair and joint sanctions. No enum default on purpose: an unknown class must not be silently downgraded.
 *
 * Avro: credit.common.Severity
 */
export type Severity = 'BASIC' | 'POSITIVE' | 'GENERAL_DISHONESTY' | 'SERIOUS_DISHONESTY';

/**
 * 密封信息 / Identity numbers sealed for the platform before the record left the department (envelope encryption): a data key encrypts each number with AES-256-GCM, and the data key is sealed for the platform's public key with HPKE (RFC 9180: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM). Only the aggregator holds the private key; topics, the dead-letter topic and error tables carry ciphertext only.
 *
 * Avro: credit.common.Sealed
 */
export interface Sealed {
  /** 平台密钥标识 / Which of the platform's sealing keys the data key is sealed for: the first 16 bytes of the SHA-256 of its public key, hex. */
  keyId: string;
  /** 封装的数据密钥 / The HPKE encapsulation (32 bytes) followed by the HPKE ciphertext of the 32-byte data key. A producer reuses one data key for many records, so the platform opens it once. */
  encapsulatedKey: Buffer;
  /** 主体证件号码密文 / envelope.subject.code when it is not a USCC (a natural person's identity document number): a 12-byte nonce, the AES-256-GCM ciphertext and its 16-byte tag. The clear field then carries the number masked to its last 4 characters. */
  subjectCode: Buffer | null;
  /** 法定代表人证件号码密文 / envelope.subject.legalRepresentative.idNumber, sealed the same way; the clear field then carries it masked. */
  legalRepresentativeIdNumber: Buffer | null;
}

/**
 * 许可类别 / Licence category: GENERAL 普通, SPECIAL 特许, RECOGNITION 认可, APPROVAL 核准, REGISTRATION 登记, OTHER 其他. Source: 双公示 行政许可 data standard (2021), 许可类别. Default OTHER so that older readers accept a category added later.
 *
 * Avro: credit.records.LicenceCategory
 */
export type LicenceCategory = 'GENERAL' | 'SPECIAL' | 'RECOGNITION' | 'APPROVAL' | 'REGISTRATION' | 'OTHER';

/**
 * 当前状态 / Current status of the licence: VALID (code 1, 有效) or INVALID (code 2, 无效). Source: 双公示 行政许可 data standard (2021), 当前状态.
 *
 * Avro: credit.records.LicenceStatus
 */
export type LicenceStatus = 'VALID' | 'INVALID';

/**
 * 行政处罚 / An administrative penalty decision (双公示). Fields follow the 行政处罚 part of the 信用中国 双公示 data standard (2021); the subject-identity group (行政相对人名称, 类别, 统一社会信用代码, 工商注册号 ..., 法定代表人, 证件类型, 证件号码) is in envelope.subject, 处罚决定日期 is envelope.decisionDate and 数据来源单位统一社会信用代码 is envelope.reportingDepartmentCode.
 *
 * Avro: credit.records.AdministrativePenalty
 */
export interface AdministrativePenalty {
  /** 报送信封 / Common envelope; decisionDate is the 处罚决定日期 (penalty decision date). */
  envelope: Envelope;
  /** 行政处罚决定书文号 / Number of the penalty decision document. Source: 双公示 行政处罚 data standard (2021). */
  decisionDocumentNumber: string;
  /** 违法行为类型 / Type of the unlawful act. Source: 双公示 行政处罚 data standard (2021). */
  violationType: string;
  /** 违法事实 / Facts of the unlawful act. Source: 双公示 行政处罚 data standard (2021). */
  violationFacts: string;
  /** 处罚依据 / Legal basis of the penalty. Source: 双公示 行政处罚 data standard (2021). */
  legalBasis: string;
  /** 处罚类别 / Categories of the penalty imposed (one decision may impose several, e.g. a warning and a fine). Source: 双公示 行政处罚 data standard (2021). */
  penaltyCategories: PenaltyCategory[];
  /** 处罚内容 / Content of the penalty. Source: 双公示 行政处罚 data standard (2021). */
  penaltyContent: string;
  /** 罚款金额（万元）/ Fine amount in 10,000 yuan (scale 6 keeps it exact to the fen); required when penaltyCategories contains FINE. Source: 双公示 行政处罚 data standard (2021). Decimal string: at most 6 fraction digits, 18 digits in all. */
  fineAmount: DecimalString | null;
  /** 没收违法所得、没收非法财物的金额（万元）/ Amount of illegal gains and illegal property confiscated, in 10,000 yuan (exact to the fen). Source: 双公示 行政处罚 data standard (2021). Decimal string: at most 6 fraction digits, 18 digits in all. */
  confiscatedAmount: DecimalString | null;
  /** 暂扣或吊销证照名称及编号 / Name and number of the licence or certificate suspended or revoked. Source: 双公示 行政处罚 data standard (2021). */
  suspendedOrRevokedLicence: string | null;
  /** 处罚有效期 / Last day the penalty is in effect. Source: 双公示 行政处罚 data standard (2021). */
  penaltyValidUntil: DateString | null;
  /** 公示截止期 / Last day the penalty is publicised; credit repair may end publication earlier. Source: 双公示 行政处罚 data standard (2021). */
  publicationDeadline: DateString;
  /** 处罚机关 / Name of the authority that imposed the penalty. Source: 双公示 行政处罚 data standard (2021). */
  penalisingAuthority: string;
  /** 处罚机关统一社会信用代码 / Unified social credit code of the penalising authority. Source: 双公示 行政处罚 data standard (2021). */
  penalisingAuthorityCode: string;
  /** 备注 / Remarks. Source: 双公示 行政处罚 data standard (2021). */
  remarks: string | null;
}

/**
 * 处罚类别 / Category of administrative penalty, as listed in article 9 of the Administrative Penalty Law (《行政处罚法》, 2021 revision) which the 2021 data standard follows: WARNING 警告, PUBLIC_CRITICISM 通报批评, FINE 罚款, CONFISCATION_OF_ILLEGAL_GAINS 没收违法所得, CONFISCATION_OF_ILLEGAL_PROPERTY 没收非法财物, LICENCE_SUSPENSION 暂扣许可证件, QUALIFICATION_DOWNGRADE 降低资质等级, LICENCE_REVOCATION 吊销许可证件, BUSINESS_RESTRICTION 限制开展生产经营活动, SUSPENSION_OF_PRODUCTION_OR_BUSINESS 责令停产停业, ORDERED_CLOSURE 责令关闭, PRACTICE_RESTRICTION 限制从业, ADMINISTRATIVE_DETENTION 行政拘留, OTHER 其他 (法律、行政法规规定的其他行政处罚). Default OTHER so that older readers accept a category added later.
 *
 * Avro: credit.records.PenaltyCategory
 */
export type PenaltyCategory = 'WARNING' | 'PUBLIC_CRITICISM' | 'FINE' | 'CONFISCATION_OF_ILLEGAL_GAINS' | 'CONFISCATION_OF_ILLEGAL_PROPERTY' | 'LICENCE_SUSPENSION' | 'QUALIFICATION_DOWNGRADE' | 'LICENCE_REVOCATION' | 'BUSINESS_RESTRICTION' | 'SUSPENSION_OF_PRODUCTION_OR_BUSINESS' | 'ORDERED_CLOSURE' | 'PRACTICE_RESTRICTION' | 'ADMINISTRATIVE_DETENTION' | 'OTHER';

/**
 * 信用承诺 / A credit commitment a subject made to a department, and whether it is kept; a breached commitment is dishonesty information. envelope.decisionDate is the 承诺日期 (date the commitment was made).
 *
 * Avro: credit.records.CreditCommitment
 */
export interface CreditCommitment {
  /** 报送信封 / Common envelope; decisionDate is the 承诺日期 (date the commitment was made). */
  envelope: Envelope;
  /** 承诺类型 / Type of the commitment. */
  commitmentType: CommitmentType;
  /** 承诺事项 / Matter the commitment was made for, e.g. an application for a food business licence. */
  commitmentMatter: string;
  /** 承诺内容 / What the subject committed to. */
  commitmentContent: string;
  /** 承诺受理单位 / Name of the department that received the commitment. */
  receivingAuthority: string;
  /** 承诺受理单位统一社会信用代码 / Unified social credit code of the receiving department. */
  receivingAuthorityCode: string;
  /** 承诺有效期自 / First day the commitment binds; null when it binds from the commitment date. */
  validFrom: DateString | null;
  /** 承诺有效期至 / Last day the commitment binds; null when open-ended. */
  validTo: DateString | null;
  /** 履约状态 / Fulfilment status of the commitment. */
  fulfilment: CommitmentFulfilment;
  /** 违诺情形 / How the commitment was breached; null unless fulfilment is BREACHED. */
  breachDescription: string | null;
  /** 备注 / Remarks. */
  remarks: string | null;
}

/**
 * 承诺类型 / Type of commitment: APPROVAL_SUBSTITUTION 审批替代型 (告知承诺制), VOLUNTARY 主动型, INDUSTRY_SELF_DISCIPLINE 行业自律型, CREDIT_REPAIR 信用修复型, OTHER 其他. Default OTHER so that older readers accept a type added later.
 *
 * Avro: credit.records.CommitmentType
 */
export type CommitmentType = 'APPROVAL_SUBSTITUTION' | 'VOLUNTARY' | 'INDUSTRY_SELF_DISCIPLINE' | 'CREDIT_REPAIR' | 'OTHER';

/**
 * 履约状态 / Whether the commitment is kept: IN_PROGRESS 履约中, FULFILLED 已履约, BREACHED 违约 (失信).
 *
 * Avro: credit.records.CommitmentFulfilment
 */
export type CommitmentFulfilment = 'IN_PROGRESS' | 'FULFILLED' | 'BREACHED';

/**
 * 信用等级 / A credit grade a department assigned to a subject under one of its rating schemes (纳税信用等级, 企业环境信用评价, 海关企业信用等级, ...). Schemes and their levels differ, so both are codes rather than a fixed A/B/C/D enum. envelope.decisionDate is the 评定日期 (rating date); envelope.severity carries what the level means (e.g. POSITIVE for tax grade A).
 *
 * Avro: credit.records.CreditGrade
 */
export interface CreditGrade {
  /** 报送信封 / Common envelope; decisionDate is the 评定日期 (date the grade was assigned). */
  envelope: Envelope;
  /** 评价体系代码 / Code of the rating scheme, e.g. tax-credit-rating (纳税信用等级) or environmental-credit (企业环境信用评价). */
  scheme: string;
  /** 评价体系名称 / Name of the rating scheme, e.g. 纳税信用等级评价. */
  schemeName: string;
  /** 信用等级 / Level within the scheme as the scheme writes it, e.g. A (纳税信用 A 级) or green (环保诚信企业, 绿牌). */
  level: string;
  /** 等级名称 / Human-readable name of the level, e.g. A级纳税人 or 环保诚信企业. */
  levelName: string | null;
  /** 评价年度/周期 / Period the rating covers, e.g. 2023 for an annual tax credit rating. */
  ratingPeriod: string | null;
  /** 有效期自 / First day the grade applies. */
  validFrom: DateString;
  /** 有效期至 / Last day the grade applies; null until the next rating replaces it. */
  validTo: DateString | null;
  /** 评价机关 / Name of the authority that assigned the grade. */
  ratingAuthority: string;
  /** 评价机关统一社会信用代码 / Unified social credit code of the rating authority. */
  ratingAuthorityCode: string;
  /** 备注 / Remarks. */
  remarks: string | null;
}

/**
 * 失信被执行人 / A listing of a dishonest judgment debtor, as the people's courts publish it (中国执行信息公开网). The debtor's name, code and legal representative (被执行人姓名/名称, 身份证号码/组织机构代码, 法定代表人或者负责人姓名) are in envelope.subject; 发布时间 (publication date) is envelope.decisionDate; sex and age are not carried, they follow from the identity number.
 *
 * Avro: credit.records.DishonestJudgmentDebtor
 */
export interface DishonestJudgmentDebtor {
  /** 报送信封 / Common envelope; decisionDate is the 发布时间 (date the court published the listing). */
  envelope: Envelope;
  /** 案号 / Enforcement case number, e.g. （2024）闽0102执1234号. Source: court publication of dishonest judgment debtors. */
  caseNumber: string;
  /** 执行法院 / Court enforcing the judgment. Source: court publication of dishonest judgment debtors. */
  enforcementCourt: string;
  /** 省份 / Province of the enforcing court. Source: court publication of dishonest judgment debtors. */
  province: string;
  /** 立案时间 / Date the enforcement case was filed. Source: court publication of dishonest judgment debtors. */
  filingDate: DateString;
  /** 执行依据文号 / Number of the document on which enforcement is based (judgment, award, ...). Source: court publication of dishonest judgment debtors. */
  enforcementBasisNumber: string;
  /** 做出执行依据单位 / Body that issued the enforcement basis. Source: court publication of dishonest judgment debtors. */
  enforcementBasisIssuer: string;
  /** 生效法律文书确定的义务 / Obligation set by the effective legal document. Source: court publication of dishonest judgment debtors. */
  obligation: string;
  /** 被执行人的履行情况 / Performance status of the debtor. Source: court publication of dishonest judgment debtors. */
  performance: PerformanceStatus;
  /** 失信被执行人行为具体情形 / The specific dishonest conduct, e.g. 有履行能力而拒不履行生效法律文书确定义务. Source: court publication of dishonest judgment debtors. */
  dishonestConduct: string;
  /** 已履行部分 / Part of the obligation already performed, as published. Source: court publication of dishonest judgment debtors. */
  performedPart: string | null;
  /** 未履行部分 / Part of the obligation not yet performed, as published. Source: court publication of dishonest judgment debtors. */
  unperformedPart: string | null;
}

/**
 * 被执行人的履行情况 / How far the debtor has performed: NOT_PERFORMED 全部未履行, PARTIALLY_PERFORMED 部分未履行 (partly performed). A debtor who performs in full is removed from the list (operation REVOKE).
 *
 * Avro: credit.records.PerformanceStatus
 */
export type PerformanceStatus = 'NOT_PERFORMED' | 'PARTIALLY_PERFORMED';

/**
 * 守信表彰/荣誉 / An honour or commendation for trustworthiness a department conferred on a subject, e.g. 守合同重信用企业 (contract-abiding and trustworthy enterprise) or 诚信纳税人. envelope.decisionDate is the 授予日期 (date conferred).
 *
 * Avro: credit.records.Honour
 */
export interface Honour {
  /** 报送信封 / Common envelope; decisionDate is the 授予日期 (date the honour was conferred). */
  envelope: Envelope;
  /** 荣誉名称 / Name of the honour, e.g. 守合同重信用企业. */
  honourName: string;
  /** 表彰级别 / Level of the honour. */
  honourLevel: HonourLevel;
  /** 表彰文号 / Number of the document conferring the honour. */
  awardDocumentNumber: string | null;
  /** 表彰内容 / What the honour is for. */
  content: string | null;
  /** 授予单位 / Name of the body that conferred the honour. */
  awardingAuthority: string;
  /** 授予单位统一社会信用代码 / Unified social credit code of the conferring body. */
  awardingAuthorityCode: string;
  /** 有效期自 / First day the honour is valid; null when it takes effect on the decision date. */
  validFrom: DateString | null;
  /** 有效期至 / Last day the honour is valid; null when it does not expire. */
  validTo: DateString | null;
  /** 备注 / Remarks. */
  remarks: string | null;
}

/**
 * 表彰级别 / Level of the conferring body: NATIONAL 国家级, PROVINCIAL 省级, MUNICIPAL 市级, COUNTY 县级, OTHER 其他. Default OTHER so that older readers accept a level added later.
 *
 * Avro: credit.records.HonourLevel
 */
export type HonourLevel = 'NATIONAL' | 'PROVINCIAL' | 'MUNICIPAL' | 'COUNTY' | 'OTHER';

/**
 * 名单认定 / A department's own designation of a subject onto a list it keeps: a red list (守信激励对象名单), a list of seriously dishonest subjects (严重失信主体名单) or a watch list (重点关注名单). envelope.decisionDate is the 认定日期 (designation date); envelope.severity says whether the list is positive or dishonesty information; removal from the list is a REVOKE.
 *
 * Avro: credit.records.ListDesignation
 */
export interface ListDesignation {
  /** 报送信封 / Common envelope; decisionDate is the 认定日期 (designation date). */
  envelope: Envelope;
  /** 名单类型代码 / Code of the list, as registered in the credit information catalogue. */
  listTypeCode: string;
  /** 名单名称 / Name of the list, e.g. 重大税收违法失信主体名单. */
  listTypeName: string;
  /** 认定文书号 / Number of the designation decision document. */
  designationDocumentNumber: string;
  /** 认定依据 / Legal basis of the designation (law, regulation and article). */
  designationBasis: string;
  /** 认定事由 / Facts that led to the designation (主要失信事实 for a dishonesty list). */
  designationReason: string;
  /** 认定部门 / Name of the department that made the designation. */
  designatingAuthority: string;
  /** 认定部门统一社会信用代码 / Unified social credit code of the designating department. */
  designatingAuthorityCode: string;
  /** 有效期自 / First day the subject is on the list. */
  validFrom: DateString;
  /** 有效期至 / Last day the subject is on the list; null until removed. */
  validTo: DateString | null;
  /** 备注 / Remarks. */
  remarks: string | null;
}

/** The current version of each kind, by kind name: what `encode` takes and `decode` returns. */
export interface RecordKinds {
  'administrative-licence': AdministrativeLicence;
  'administrative-penalty': AdministrativePenalty;
  'credit-commitment': CreditCommitment;
  'credit-grade': CreditGrade;
  'dishonest-judgment-debtor': DishonestJudgmentDebtor;
  'honour': Honour;
  'list-designation': ListDesignation;
}

export type RecordKind = keyof RecordKinds;
