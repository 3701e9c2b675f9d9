/** What kind of subject a code identifies, as the platform groups them. */
export type SubjectKind =
  | 'enterprise'
  | 'individual_business'
  | 'farmers_cooperative'
  | 'government_body'
  | 'public_institution'
  | 'social_organisation'
  | 'mass_organisation'
  | 'legal_service'
  | 'religious'
  | 'trade_union'
  | 'foreign_representative'
  | 'collective_economic_organisation'
  | 'military_institution'
  | 'other_organisation';

export type EntityType = { name: string; kind: SubjectKind };
export type RegistrationAuthority = { name: string; entityTypes: Readonly<Record<string, EntityType>> };

// Every "其他" (other) category maps to other_organisation: the standard does not say what it holds.
const OTHER: EntityType = { name: '其他', kind: 'other_organisation' };

/**
 * Registration authority (登记管理部门, position 1) → entity type (机构类别, position 2) → subject kind.
 * GB 32100-2015 appendix plus later additions (A, N, Y).
 */
export const REGISTRATION_AUTHORITIES: Readonly<Record<string, RegistrationAuthority>> = {
  '1': {
    name: '机构编制',
    entityTypes: {
      '1': { name: '机关', kind: 'government_body' },
      '2': { name: '事业单位', kind: 'public_institution' },
      '3': { name: '中央编办直接管理机构编制的群众团体', kind: 'mass_organisation' },
      '9': OTHER,
    },
  },
  '2': {
    name: '外交',
    entityTypes: {
      '1': { name: '外国常驻新闻机构', kind: 'foreign_representative' },
      '9': OTHER,
    },
  },
  '3': {
    name: '司法行政',
    entityTypes: {
      '1': { name: '律师执业机构', kind: 'legal_service' },
      '2': { name: '公证处', kind: 'legal_service' },
      '3': { name: '基层法律服务所', kind: 'legal_service' },
      '4': { name: '司法鉴定机构', kind: 'legal_service' },
      '5': { name: '仲裁委员会', kind: 'legal_service' },
      '9': OTHER,
    },
  },
  '4': {
    name: '文化',
    entityTypes: {
      '1': { name: '外国在华文化中心', kind: 'foreign_representative' },
      '9': OTHER,
    },
  },
  '5': {
    name: '民政',
    entityTypes: {
      '1': { name: '社会团体', kind: 'social_organisation' },
      '2': { name: '民办非企业单位', kind: 'social_organisation' },
      '3': { name: '基金会', kind: 'social_organisation' },
      '9': OTHER,
    },
  },
  '6': {
    name: '旅游',
    entityTypes: {
      '1': { name: '外国旅游部门常驻代表机构', kind: 'foreign_representative' },
      // Hong Kong, Macao and Taiwan offices are grouped with the foreign ones: same kind of supervision.
      '2': { name: '港澳台地区旅游部门常驻内地（大陆）代表机构', kind: 'foreign_representative' },
      '9': OTHER,
    },
  },
  '7': {
    name: '宗教',
    entityTypes: {
      '1': { name: '宗教活动场所', kind: 'religious' },
      '2': { name: '宗教院校', kind: 'religious' },
      '9': OTHER,
    },
  },
  '8': {
    name: '工会',
    entityTypes: {
      '1': { name: '基层工会', kind: 'trade_union' },
      '9': OTHER,
    },
  },
  '9': {
    name: '工商/市场监管',
    entityTypes: {
      '1': { name: '企业', kind: 'enterprise' },
      '2': { name: '个体工商户', kind: 'individual_business' },
      '3': { name: '农民专业合作社', kind: 'farmers_cooperative' },
    },
  },
  A: {
    name: '中央军委改革和编制办公室',
    entityTypes: {
      '1': { name: '军队事业单位', kind: 'military_institution' },
      '9': OTHER,
    },
  },
  N: {
    name: '农业',
    entityTypes: {
      '1': { name: '组级集体经济组织', kind: 'collective_economic_organisation' },
      '2': { name: '村级集体经济组织', kind: 'collective_economic_organisation' },
      '3': { name: '乡镇级集体经济组织', kind: 'collective_economic_organisation' },
      '9': OTHER,
    },
  },
  Y: {
    name: '其他',
    // Authority Y has no categories; 1 is the only type issued.
    entityTypes: { '1': OTHER },
  },
};

export function findRegistrationAuthority(code: string): RegistrationAuthority | undefined {
  return Object.hasOwn(REGISTRATION_AUTHORITIES, code) ? REGISTRATION_AUTHORITIES[code] : undefined;
}

export function findEntityType(authority: RegistrationAuthority, code: string): EntityType | undefined {
  return Object.hasOwn(authority.entityTypes, code) ? authority.entityTypes[code] : undefined;
}
