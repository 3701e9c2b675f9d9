import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKafkaAccess } from '@credit/kafka-access';
import { ConfigError, loadConfig } from '@credit/kit';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { AggregatorEnv } from '../../services/aggregator/src/config.ts';
import { GatewayEnv } from '../../services/ingest-gateway/src/config.ts';
import { ListDesignationEnv } from '../../services/list-designation/src/config.ts';
import { OpsMonitorEnv } from '../../services/ops-monitor/src/config.ts';
import { QueryEnv } from '../../services/query-api/src/config.ts';
import { SanctionsEnv } from '../../services/sanctions/src/config.ts';

/**
 * deploy/k8s against the code: every variable a service requires is set in its Deployment (directly, from a
 * ConfigMap of the kustomization, or from a Secret or ConfigMap that deploy/k8s/README.md tells the reader to make),
 * every value written in the manifests passes the service's schema, each service authenticates to Kafka as its own
 * principal over TLS, and no Deployment can reach a secret that infra/src/secrets.ts does not give its service.
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const BASE = path.join(ROOT, 'deploy/k8s/base');

/** A service's TypeBox environment schema (typebox is not a dependency of infra: its type comes through kit). */
type Schema = Parameters<typeof loadConfig>[0];

const SCHEMAS: Record<string, Schema> = {
  aggregator: AggregatorEnv,
  'ingest-gateway': GatewayEnv,
  'list-designation': ListDesignationEnv,
  sanctions: SanctionsEnv,
  'query-api': QueryEnv,
  'ops-monitor': OpsMonitorEnv,
};

/** What every service may hold besides its own secrets: where the broker and the database are. */
const CONNECTIONS = ['KAFKA_BROKERS', 'DATABASE_URL'];
/** Set in manifests although no schema reads it: Node's own. */
const NOT_IN_SCHEMAS = new Set(['NODE_OPTIONS']);

interface Resource {
  apiVersion: string;
  kind: string;
  metadata: { name: string };
  data?: Record<string, string>;
  spec?: unknown;
}
interface KeyRef {
  name: string;
  key: string;
}
interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef?: KeyRef; configMapKeyRef?: KeyRef };
}
interface Container {
  name: string;
  args?: string[];
  env?: EnvVar[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean }[];
}
interface Volume {
  name: string;
  secret?: { secretName: string; defaultMode?: number; items?: { key: string; path: string }[] };
  configMap?: { name: string; items?: { key: string; path: string }[] };
  emptyDir?: object;
}
interface Deployment extends Resource {
  spec: {
    template: {
      spec: { containers: Container[]; volumes?: Volume[]; securityContext?: { fsGroup?: number } };
    };
  };
}

function parseYaml(file: string): unknown[] {
  const documents = parseAllDocuments(readFileSync(file, 'utf8'));
  for (const document of documents) expect(document.errors, file).toEqual([]);
  return documents.map((document) => document.toJS()).filter((value) => value !== null);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const file = path.join(dir, name);
    if (statSync(file).isDirectory()) return yamlFiles(file);
    return /\.ya?ml$/.test(name) ? [file] : [];
  });
}

const kustomization = parseYaml(path.join(BASE, 'kustomization.yaml'))[0] as {
  namespace: string;
  resources: string[];
};
const resources = kustomization.resources.flatMap((file) => parseYaml(path.join(BASE, file)) as Resource[]);
const configMaps = new Map(
  resources.filter((r) => r.kind === 'ConfigMap').map((r) => [r.metadata.name, r.data ?? {}]),
);

/** A Secret or ConfigMap the README makes: its keys, or null when they are the files of a directory. */
interface Made {
  kind: 'secret' | 'configmap';
  name: string;
  keys: Set<string> | null;
}

/**
 * The `kubectl create secret generic|configmap` commands of the README's shell blocks, with `for x in ...; do`
 * loops expanded: what a reader makes before `kubectl apply -k`.
 */
function madeByReadme(): Map<string, Made> {
  const readme = readFileSync(path.join(ROOT, 'deploy/k8s/README.md'), 'utf8');
  const made = new Map<string, Made>();
  for (const block of readme.matchAll(/```sh\n([\s\S]*?)```/g)) {
    const loops: { variable: string; words: string[] }[] = [];
    for (const line of block[1]!.replace(/\\\n\s*/g, ' ').split('\n')) {
      const opening = /^\s*for (\w+) in ([^;]+); do\b/.exec(line);
      if (opening) loops.push({ variable: opening[1]!, words: opening[2]!.trim().split(/\s+/) });
      if (/^\s*done\b/.test(line)) loops.pop();
      const create = /kubectl(?: -n \S+)? create (secret generic|configmap) "?([^\s"]+)"?(.*)$/.exec(line);
      if (!create) continue;
      const kind = create[1] === 'configmap' ? 'configmap' : 'secret';
      const options = create[3]!;
      const keys = new Set<string>();
      let directory = false;
      for (const option of options.matchAll(/--from-(literal|file)="?([^\s="]+)(=?)/g)) {
        const [, source, first, assigned] = option;
        if (source === 'literal' || assigned) keys.add(first!);
        else if (first!.endsWith('/')) directory = true;
        else keys.add(path.basename(first!));
      }
      const loop = loops.find((l) => create[2]!.includes(`$${l.variable}`));
      const names = loop
        ? loop.words.map((word) => create[2]!.replaceAll(`$${loop.variable}`, word))
        : [create[2]!];
      for (const name of names) {
        const before = made.get(name);
        expect(before?.kind ?? kind, `${name} made as a Secret and as a ConfigMap`).toBe(kind);
        made.set(name, {
          kind,
          name,
          keys: directory || before?.keys === null ? null : new Set([...(before?.keys ?? []), ...keys]),
        });
      }
    }
  }
  return made;
}
const readme = madeByReadme();

/** The keys of a ConfigMap of the kustomization or one the README makes (null: a directory's files). */
function configMapKeys(name: string): Set<string> | null | undefined {
  const inKustomization = configMaps.get(name);
  if (inKustomization) return new Set(Object.keys(inKustomization));
  const made = readme.get(name);
  return made?.kind === 'configmap' ? made.keys : undefined;
}
function secretKeys(name: string): Set<string> | null | undefined {
  const made = readme.get(name);
  return made?.kind === 'secret' ? made.keys : undefined;
}

/** `SECRETS_OF` of infra/src/secrets.ts: which of the local secrets each service is given (pnpm start). */
function secretsOf(): Record<string, string[]> {
  const source = readFileSync(path.join(ROOT, 'infra/src/secrets.ts'), 'utf8');
  const table = /const SECRETS_OF[^=]*=\s*\{([\s\S]*?)\n\};/.exec(source);
  expect(table, 'SECRETS_OF in infra/src/secrets.ts').not.toBeNull();
  const entries = [...table![1]!.matchAll(/^\s*'?([a-z-]+)'?:\s*\[([^\]]*)\]/gm)].map(
    ([, service, names]) => [service!, [...names!.matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]!)] as const,
  );
  return Object.fromEntries(entries);
}

function deploymentOf(service: string): { deployment: Deployment; container: Container; volumes: Volume[] } {
  const deployment = resources.find(
    (r): r is Deployment => r.kind === 'Deployment' && r.metadata.name === service,
  );
  expect(deployment, `Deployment ${service}`).toBeDefined();
  const container = deployment!.spec.template.spec.containers.find((c) => c.name === service);
  expect(container, `container ${service} of Deployment ${service}`).toBeDefined();
  return {
    deployment: deployment!,
    container: container!,
    volumes: deployment!.spec.template.spec.volumes ?? [],
  };
}

/** Every variable the container gets, with where it comes from (a later source wins, as in Kubernetes). */
function environmentOf(container: Container): Map<string, { value?: string; ref?: string }> {
  const env = new Map<string, { value?: string; ref?: string }>();
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      const name = source.configMapRef.name;
      const keys = configMapKeys(name);
      expect(keys, `envFrom configMap ${name}: in the kustomization or made by the README`).toBeDefined();
      expect(keys, `envFrom configMap ${name}: its keys must be known`).not.toBeNull();
      for (const key of keys!) env.set(key, { value: configMaps.get(name)?.[key], ref: `configMap ${name}` });
    }
    if (source.secretRef) {
      const name = source.secretRef.name;
      const keys = secretKeys(name);
      expect(keys, `envFrom secret ${name}: made by the README, with its keys`).toBeTruthy();
      for (const key of keys!) env.set(key, { ref: `secret ${name}` });
    }
  }
  for (const variable of container.env ?? []) {
    const secret = variable.valueFrom?.secretKeyRef;
    const configMap = variable.valueFrom?.configMapKeyRef;
    if (secret) {
      const keys = secretKeys(secret.name);
      expect(keys, `${variable.name}: Secret ${secret.name} is made by the README`).toBeDefined();
      if (keys) expect([...keys], `${variable.name}: Secret ${secret.name}`).toContain(secret.key);
      env.set(variable.name, { ref: `secret ${secret.name}` });
    } else if (configMap) {
      const keys = configMapKeys(configMap.name);
      expect(keys, `${variable.name}: ConfigMap ${configMap.name} exists`).toBeDefined();
      if (keys) expect([...keys], `${variable.name}: ConfigMap ${configMap.name}`).toContain(configMap.key);
      env.set(variable.name, {
        value: configMaps.get(configMap.name)?.[configMap.key],
        ref: `configMap ${configMap.name}`,
      });
    } else {
      expect(variable.value, `${variable.name} has a value`).toBeDefined();
      env.set(variable.name, { value: variable.value });
    }
  }
  return env;
}

/** The volume a file or directory path lies in, and the file's name inside it. */
function mountOf(container: Container, volumes: Volume[], file: string) {
  const mount = container.volumeMounts?.find(
    (m) => file === m.mountPath || file.startsWith(`${m.mountPath.replace(/\/$/, '')}/`),
  );
  const volume = volumes.find((v) => v.name === mount?.name);
  return { mount, volume, inside: mount ? path.relative(mount.mountPath, file) : undefined };
}

/** Required by a schema: not optional and without a default (loadConfig reports exactly these as missing). */
function requiredVariables(schema: Schema): string[] {
  const required = new Set((schema as { required?: string[] }).required ?? []);
  return Object.entries(schema.properties)
    .filter(
      ([name, property]) => required.has(name) && (property as { default?: unknown }).default === undefined,
    )
    .map(([name]) => name);
}

describe('deploy/k8s', () => {
  it('every YAML file under deploy/ parses, and the kustomization lists every manifest of base/', () => {
    const files = yamlFiles(path.join(ROOT, 'deploy'));
    expect(files.length).toBeGreaterThan(kustomization.resources.length);
    for (const file of files) parseYaml(file);
    const manifests = readdirSync(BASE).filter(
      (name) => name.endsWith('.yaml') && name !== 'kustomization.yaml',
    );
    expect([...kustomization.resources].sort()).toEqual(manifests.sort());
    for (const resource of resources) {
      expect(resource.apiVersion, resource.metadata?.name).toBeTruthy();
      expect(resource.metadata.name, resource.kind).toMatch(/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/);
    }
    expect(
      resources
        .filter((r) => r.kind === 'Deployment')
        .map((r) => r.metadata.name)
        .sort(),
    ).toEqual(Object.keys(SCHEMAS).sort());
  });

  it.each(Object.keys(SCHEMAS))('%s: every variable its configuration requires is set', (service) => {
    const schema = SCHEMAS[service]!;
    const { container } = deploymentOf(service);
    expect(container.args).toEqual([`services/${service}/src/main.ts`]);
    const env = environmentOf(container);
    const missing = requiredVariables(schema).filter((name) => !env.has(name));
    expect(missing, `${service} requires these and its Deployment does not set them`).toEqual([]);
    // Nothing the service no longer reads (a renamed variable is a silent default otherwise).
    const unknown = [...env.keys()].filter(
      (name) => !(name in schema.properties) && !NOT_IN_SCHEMAS.has(name),
    );
    expect(unknown, `${service} sets variables its configuration does not read`).toEqual([]);
  });

  it.each(Object.keys(SCHEMAS))('%s: every value written in the manifests passes its schema', (service) => {
    const schema = SCHEMAS[service]!;
    const written = new Map(
      [...environmentOf(deploymentOf(service).container)]
        .filter(([name, source]) => source.value !== undefined && name in schema.properties)
        .map(([name, source]) => [name, source.value!]),
    );
    expect(written.size).toBeGreaterThan(0);
    try {
      loadConfig(schema, Object.fromEntries(written));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      // Variables from Secrets are missing here; a value the manifests write must not be malformed.
      const malformed = error.problems.filter((problem) => written.has(problem.split(' ')[0]!));
      expect(malformed, `${service}: values in the manifests its configuration refuses`).toEqual([]);
    }
  });

  it.each(Object.keys(SCHEMAS))(
    '%s: Kafka over TLS as its own principal, the password from its Secret, the CA a mounted file',
    (service) => {
      const { container, volumes } = deploymentOf(service);
      const env = environmentOf(container);
      const principal = loadKafkaAccess().servicePrincipal(service);
      expect(env.get('KAFKA_SASL_USERNAME')?.value).toBe(principal);
      expect(env.get('KAFKA_SASL_MECHANISM')?.value ?? 'SCRAM-SHA-512').toMatch(/^SCRAM-SHA-(512|256)$/);
      const password = container.env?.find((v) => v.name === 'KAFKA_SASL_PASSWORD')?.valueFrom?.secretKeyRef;
      expect(password).toEqual({ name: principal, key: 'password' });
      // SASL or mTLS, not both (kafkaSecurityFrom refuses both).
      expect(env.has('KAFKA_TLS_CERT_FILE') || env.has('KAFKA_TLS_KEY_FILE')).toBe(false);

      const caFile = env.get('KAFKA_TLS_CA_FILE')?.value;
      expect(caFile, 'KAFKA_TLS_CA_FILE').toBeDefined();
      const { mount, volume, inside } = mountOf(container, volumes, caFile!);
      expect(mount?.readOnly, `${caFile} is in a read-only mount`).toBe(true);
      const source = volume?.configMap
        ? { keys: configMapKeys(volume.configMap.name), items: volume.configMap.items }
        : volume?.secret
          ? { keys: secretKeys(volume.secret.secretName), items: volume.secret.items }
          : undefined;
      expect(source, `${caFile} comes from a ConfigMap or a Secret`).toBeDefined();
      expect(
        source!.keys,
        `the volume of ${caFile}: in the kustomization or made by the README`,
      ).toBeDefined();
      const item = source!.items?.find((i) => i.path === inside);
      const key = source!.items ? item?.key : inside;
      expect(key, `${caFile} is a key of its volume`).toBeDefined();
      if (source!.keys) expect([...source!.keys]).toContain(key);
    },
  );

  it('the README makes a password Secret for every service principal of the access table', () => {
    for (const service of Object.keys(SCHEMAS)) {
      const principal = loadKafkaAccess().servicePrincipal(service);
      expect([...(secretKeys(principal) ?? [])], principal).toContain('password');
    }
  });

  it('the gateway signs with the mounted signing keys and seals for the public key of a ConfigMap', () => {
    const { deployment, container, volumes } = deploymentOf('ingest-gateway');
    const env = environmentOf(container);
    const dir = env.get('SIGNING_KEYS_DIR')?.value;
    const { mount, volume } = mountOf(container, volumes, dir!);
    expect(mount?.mountPath).toBe(dir);
    expect(mount?.readOnly).toBe(true);
    expect(volume?.secret?.secretName).toBe('ingest-gateway-signing-keys');
    expect(readme.get('ingest-gateway-signing-keys')?.kind).toBe('secret');
    // 0440, group-readable by the pod's fsGroup: the non-root user reads the keys and no one else.
    expect(volume?.secret?.defaultMode).toBe(0o440);
    expect(deployment.spec.template.spec.securityContext?.fsGroup).toBe(10001);
    expect(env.get('PLATFORM_SEALING_PUBLIC_KEY')?.ref).toMatch(/^configMap /);
  });

  it('each service can reach only its own secrets: those infra/src/secrets.ts gives it, its Kafka password', () => {
    const entitled = secretsOf();
    expect(Object.keys(entitled).sort()).toEqual(Object.keys(SCHEMAS).sort());
    const users = new Map<string, string[]>();
    for (const service of Object.keys(SCHEMAS)) {
      const { container, volumes } = deploymentOf(service);
      const names = new Set([
        ...(container.env ?? []).flatMap((v) => v.valueFrom?.secretKeyRef?.name ?? []),
        ...(container.envFrom ?? []).flatMap((s) => s.secretRef?.name ?? []),
        ...volumes.flatMap((v) => v.secret?.secretName ?? []),
      ]);
      const own = new Set([...entitled[service]!, ...CONNECTIONS]);
      for (const name of names) {
        users.set(name, [...(users.get(name) ?? []), service]);
        if (name === loadKafkaAccess().servicePrincipal(service)) continue;
        if (name === 'ingest-gateway-signing-keys') continue;
        const keys = secretKeys(name);
        expect(keys, `Secret ${name} of ${service}: its keys are known`).toBeTruthy();
        // A pod that refers to a Secret can read all of it: every key of it must be this service's.
        const foreign = [...keys!].filter((key) => !own.has(key));
        expect(foreign, `Secret ${name} reaches ${service} with keys not its own`).toEqual([]);
      }
    }
    expect(users.get('ingest-gateway-signing-keys')).toEqual(['ingest-gateway']);
    for (const service of Object.keys(SCHEMAS)) {
      const principal = loadKafkaAccess().servicePrincipal(service);
      expect(users.get(principal), `the password of ${principal}`).toEqual([service]);
    }
    const sealing = [...readme.values()].filter((made) => made.keys?.has('PLATFORM_SEALING_PRIVATE_KEYS'));
    expect(sealing.map((made) => made.name)).toEqual(['aggregator-keys']);
    expect(users.get('aggregator-keys')).toEqual(['aggregator']);
  });
});
