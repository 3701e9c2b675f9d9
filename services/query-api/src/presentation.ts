import type { Catalogue } from '@credit/catalogue';
import type { ListTypeRegistry } from '@credit/list-types';
import type { SchemaRegistry } from '@credit/schemas';

/** Chinese names of subject kinds, as a 信用中国-style page shows them. */
const SUBJECT_KIND_NAMES: Readonly<Record<string, string>> = {
  enterprise: '企业',
  individual_business: '个体工商户',
  farmers_cooperative: '农民专业合作社',
  government_body: '机关',
  public_institution: '事业单位',
  social_organisation: '社会组织',
  mass_organisation: '群众团体',
  legal_service: '法律服务机构',
  religious: '宗教活动场所',
  trade_union: '工会',
  foreign_representative: '外国常驻机构',
  collective_economic_organisation: '农村集体经济组织',
  military_institution: '军队单位',
  other_organisation: '其他组织',
  natural_person: '自然人',
};

/** Names for codes, read from the data the platform runs on: catalogue, list types and the Avro schemas' docs. */
export interface Presentation {
  catalogueVersion: string;
  listTypesVersion: string;
  subjectKindName(kind: string): string;
  recordKindName(kind: string): string;
  departmentName(code: string): string;
  listName(code: string): string;
  /** The field's Chinese label from its Avro doc ("许可类别 / Licence category" → 许可类别), or the field name. */
  fieldLabel(kind: string, field: string): string;
  /** public, selective or not-publishable; unknown list types are not public. */
  listPublication(code: string): Publication;
  listTypesPublished(rule: Publication): string[];
  /** List types the public may browse and the departments, for filters. */
  reference(): Reference;
}

export interface Reference {
  catalogueVersion: string;
  listTypesVersion: string;
  listTypes: { code: string; name: string; colour: string }[];
  departments: { code: string; name: string; region: string; regionName: string }[];
}

type Publication = 'public' | 'selective' | 'not-publishable';

export function createPresentation(
  catalogue: Catalogue,
  listTypes: ListTypeRegistry,
  schemas: SchemaRegistry,
): Presentation {
  const labels = new Map<string, Map<string, string>>();
  for (const [kind, versions] of schemas.kinds) {
    const fields = new Map<string, string>();
    const schema = versions.current.schema as { fields?: { name: string; doc?: string }[] };
    for (const field of schema.fields ?? []) {
      const label = field.doc?.split('/')[0]?.trim();
      if (label) fields.set(field.name, label);
    }
    labels.set(kind, fields);
  }
  const kindNames = new Map(catalogue.kinds.map((rule) => [rule.kind as string, rule.name]));
  return {
    catalogueVersion: catalogue.version,
    listTypesVersion: listTypes.version,
    subjectKindName: (kind) => SUBJECT_KIND_NAMES[kind] ?? kind,
    recordKindName: (kind) => kindNames.get(kind) ?? kind,
    departmentName: (code) => catalogue.department(code)?.name ?? code,
    listName: (code) => listTypes.get(code)?.name ?? code,
    fieldLabel: (kind, field) => labels.get(kind)?.get(field) ?? field,
    listPublication: (code) => listTypes.get(code)?.publication.rule ?? 'not-publishable',
    reference: () => ({
      catalogueVersion: catalogue.version,
      listTypesVersion: listTypes.version,
      listTypes: listTypes.types
        .filter((type) => type.publication.rule !== 'not-publishable')
        .map((type) => ({ code: type.code, name: type.name, colour: type.colour })),
      departments: catalogue.departments.map((d) => ({
        code: d.code,
        name: d.name,
        region: d.region,
        regionName: d.regionName,
      })),
    }),
    listTypesPublished: (rule) =>
      listTypes.types.filter((type) => type.publication.rule === rule).map((type) => type.code),
  };
}
