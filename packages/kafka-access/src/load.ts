import { type Catalogue, loadCatalogue } from '@credit/catalogue';
import { changeLogProblems, loadDataFile, type Problem, shapeCheck } from '@credit/data-file';
import { generateAcls } from './acls.ts';
import { KafkaAccessInvalid } from './errors.ts';
import { ACCESS_FILE, ACCESS_SCHEMA_FILE } from './paths.ts';
import type { AccessData, KafkaAccess, Principal } from './types.ts';

const checkShape = shapeCheck<AccessData>(ACCESS_SCHEMA_FILE);

/**
 * Reads and checks the access table (default: the repository's data/access.yaml) and joins it with the departments
 * (default: the codes of the repository's catalogue): the principals and ACLs the broker must hold.
 */
export function loadKafkaAccess(
  file: string = ACCESS_FILE,
  options: { catalogue?: Catalogue; departments?: readonly string[] } = {},
): KafkaAccess {
  const { data } = loadDataFile(file, { checkShape, invalid: KafkaAccessInvalid, crossCheck });
  const departmentCodes =
    options.departments ??
    (options.catalogue ?? loadCatalogue()).departments.map((department) => department.code);
  const departmentPrincipal = (code: string) => data.departments.principal.replaceAll('{department}', code);
  return {
    version: data.version,
    admin: data.admin,
    broker: data.broker,
    principals: (): Principal[] => [
      { name: data.admin, kind: 'admin' },
      ...data.services.map((s) => ({ name: s.principal, kind: 'service' as const, service: s.service })),
      ...departmentCodes.map((code) => ({
        name: departmentPrincipal(code),
        kind: 'department' as const,
        department: code,
      })),
    ],
    acls: () => generateAcls(data, departmentCodes),
    servicePrincipal(service) {
      const found = data.services.find((s) => s.service === service);
      if (!found) throw new Error(`no service '${service}' in the Kafka access table ${data.version}`);
      return found.principal;
    },
    departmentPrincipal,
  };
}

function crossCheck(data: AccessData): Problem[] {
  const problems = changeLogProblems(data.changes, data.version, "the access table's");
  const names = [data.admin, data.broker, ...data.services.map((s) => s.principal)];
  names.forEach((name, index) => {
    if (names.indexOf(name) !== index)
      problems.push({ path: [], message: `principal ${name} is named twice` });
    if (name.startsWith(data.departments.principal.split('{department}')[0]!)) {
      problems.push({ path: [], message: `principal ${name} could be taken for a department's` });
    }
  });
  data.services.forEach((service, index) => {
    const grants = [...(service.produces ?? []), ...(service.consumes ?? []), ...(service.groups ?? [])];
    if (grants.some((resource) => resource.includes('{department}'))) {
      problems.push({
        path: ['services', index],
        message: `service ${service.service} names {department}, which only the departments' template may`,
      });
    }
    if (data.services.findIndex((other) => other.service === service.service) !== index) {
      problems.push({
        path: ['services', index, 'service'],
        message: `service ${service.service} is listed twice`,
      });
    }
  });
  return problems;
}
