import { normaliseText } from '@credit/identifiers';
import type {
  CommitmentFulfilment,
  CommitmentType,
  HonourLevel,
  IdDocumentType,
  LicenceCategory,
  LicenceStatus,
  Operation,
  PenaltyCategory,
  PerformanceStatus,
  Severity,
  SubjectCategory,
} from '@credit/schemas';

/**
 * The words departments' spreadsheets use for each enum symbol: the labels of the 双公示 data standard (2021)
 * and of the schema docs, plus common variants. Typed by the generated unions, so a new symbol does not
 * compile until it has its labels. The symbol itself is always accepted too.
 */
type Labels<Symbol extends string> = { readonly [S in Symbol]: readonly string[] };

const OTHER = ['其他', '其它'];

const SUBJECT_CATEGORY: Labels<SubjectCategory> = {
  LEGAL_ENTITY: ['法人及非法人组织', '法人和非法人组织', '法人或非法人组织', '法人', '非法人组织'],
  NATURAL_PERSON: ['自然人'],
  INDIVIDUAL_BUSINESS: ['个体工商户'],
};

const ID_DOCUMENT_TYPE: Labels<IdDocumentType> = {
  USCC: ['统一社会信用代码'],
  RESIDENT_IDENTITY_CARD: ['居民身份证', '身份证', '中华人民共和国居民身份证', '二代身份证'],
  PASSPORT: ['护照', '护照号'],
  HK_MACAO_TRAVEL_PERMIT: ['港澳居民来往内地通行证', '回乡证'],
  TAIWAN_TRAVEL_PERMIT: ['台湾居民来往大陆通行证', '台胞证'],
  HK_MACAO_TAIWAN_RESIDENCE_PERMIT: ['港澳台居民居住证', '港澳居民居住证', '台湾居民居住证'],
  FOREIGN_PERMANENT_RESIDENT_ID: ['外国人永久居留身份证', '外国人永久居留证'],
  OTHER,
};

const OPERATION: Labels<Operation> = {
  UPSERT: ['新增', '更新', '更正', '报送'],
  REVOKE: ['撤销', '撤回', '删除'],
};

const SEVERITY: Labels<Severity> = {
  BASIC: ['基础信息', '基础'],
  POSITIVE: ['良好信息', '守信信息', '良好', '守信'],
  GENERAL_DISHONESTY: ['一般失信信息', '一般失信'],
  SERIOUS_DISHONESTY: ['严重失信信息', '严重失信'],
};

const LICENCE_CATEGORY: Labels<LicenceCategory> = {
  GENERAL: ['普通', '普通许可'],
  SPECIAL: ['特许', '特许许可'],
  RECOGNITION: ['认可', '认可许可'],
  APPROVAL: ['核准', '核准许可'],
  REGISTRATION: ['登记', '登记许可'],
  OTHER,
};

// 当前状态 is coded 1 (有效) / 2 (无效) in the standard.
const LICENCE_STATUS: Labels<LicenceStatus> = {
  VALID: ['有效', '1'],
  INVALID: ['无效', '2'],
};

// Article 9 of the Administrative Penalty Law (2021); the pre-2021 wording (许可证、执照) is accepted too.
const PENALTY_CATEGORY: Labels<PenaltyCategory> = {
  WARNING: ['警告'],
  PUBLIC_CRITICISM: ['通报批评'],
  FINE: ['罚款'],
  CONFISCATION_OF_ILLEGAL_GAINS: ['没收违法所得'],
  CONFISCATION_OF_ILLEGAL_PROPERTY: ['没收非法财物'],
  LICENCE_SUSPENSION: ['暂扣许可证件', '暂扣许可证', '暂扣执照'],
  QUALIFICATION_DOWNGRADE: ['降低资质等级'],
  LICENCE_REVOCATION: ['吊销许可证件', '吊销许可证', '吊销执照', '吊销营业执照'],
  BUSINESS_RESTRICTION: ['限制开展生产经营活动'],
  SUSPENSION_OF_PRODUCTION_OR_BUSINESS: ['责令停产停业'],
  ORDERED_CLOSURE: ['责令关闭'],
  PRACTICE_RESTRICTION: ['限制从业'],
  ADMINISTRATIVE_DETENTION: ['行政拘留'],
  OTHER: [...OTHER, '其他行政处罚'],
};

const COMMITMENT_TYPE: Labels<CommitmentType> = {
  APPROVAL_SUBSTITUTION: ['审批替代型', '告知承诺制', '审批替代'],
  VOLUNTARY: ['主动型', '主动承诺'],
  INDUSTRY_SELF_DISCIPLINE: ['行业自律型', '行业自律'],
  CREDIT_REPAIR: ['信用修复型', '信用修复'],
  OTHER,
};

const COMMITMENT_FULFILMENT: Labels<CommitmentFulfilment> = {
  IN_PROGRESS: ['履约中'],
  FULFILLED: ['已履约'],
  BREACHED: ['违约', '未履约', '失信'],
};

const PERFORMANCE_STATUS: Labels<PerformanceStatus> = {
  NOT_PERFORMED: ['全部未履行'],
  PARTIALLY_PERFORMED: ['部分未履行', '部分履行'],
};

const HONOUR_LEVEL: Labels<HonourLevel> = {
  NATIONAL: ['国家级'],
  PROVINCIAL: ['省级'],
  MUNICIPAL: ['市级'],
  COUNTY: ['县级', '区县级', '县(区)级'],
  OTHER,
};

/** Labels by the Avro name of the enum. */
export const ENUM_LABELS: Readonly<Record<string, Labels<string>>> = {
  SubjectCategory: SUBJECT_CATEGORY,
  IdDocumentType: ID_DOCUMENT_TYPE,
  Operation: OPERATION,
  Severity: SEVERITY,
  LicenceCategory: LICENCE_CATEGORY,
  LicenceStatus: LICENCE_STATUS,
  PenaltyCategory: PENALTY_CATEGORY,
  CommitmentType: COMMITMENT_TYPE,
  CommitmentFulfilment: COMMITMENT_FULFILMENT,
  PerformanceStatus: PERFORMANCE_STATUS,
  HonourLevel: HONOUR_LEVEL,
};

/** Full-width to half-width, no spaces, upper case: how labels and cells are compared. */
export function labelKey(text: string): string {
  return normaliseText(text).replace(/\s+/g, '').toUpperCase();
}

const lookups = new Map<string, ReadonlyMap<string, string>>();

/** The symbol a cell means for the enum `name`, from its labels or the symbol itself; undefined if none. */
export function symbolFor(name: string, symbols: readonly string[], cell: string): string | undefined {
  let lookup = lookups.get(name);
  if (lookup === undefined) {
    const entries = new Map<string, string>();
    const labels = ENUM_LABELS[name] ?? {};
    for (const symbol of symbols) {
      entries.set(labelKey(symbol), symbol);
      for (const label of labels[symbol] ?? []) entries.set(labelKey(label), symbol);
    }
    lookup = entries;
    lookups.set(name, lookup);
  }
  return lookup.get(labelKey(cell));
}

/** The labels accepted for an enum, for "expected one of ..." rules. */
export function labelsOf(name: string, symbols: readonly string[]): string[] {
  const labels = ENUM_LABELS[name] ?? {};
  return symbols.map((symbol) => [symbol, ...(labels[symbol] ?? [])].join('/'));
}
