import type { AclBinding } from '@credit/kit';

export type { AclBinding };

/** The access table as written in data/access.yaml. */
export interface AccessData {
  version: string;
  changes: { version: string; date: string; changes: string[] }[];
  /** The super user infra administers the broker as (topics, ACLs, users). */
  admin: string;
  /** The broker's own principal (its certificate's CN): inter-broker and controller traffic. */
  broker: string;
  services: ServiceGrant[];
  departments: Grants & { principal: string };
}

export interface Grants {
  produces?: string[];
  consumes?: string[];
  groups?: string[];
}

export interface ServiceGrant extends Grants {
  service: string;
  principal: string;
  observes?: boolean;
}

export type ResourceType = AclBinding['resourceType'];
export type PatternType = AclBinding['patternType'];
export type AclOperation = AclBinding['operation'];

export type Principal =
  | { name: string; kind: 'admin' }
  | { name: string; kind: 'service'; service: string }
  | { name: string; kind: 'department'; department: string };

export interface KafkaAccess {
  version: string;
  admin: string;
  broker: string;
  /** Every principal that authenticates with a password or certificate: the admin, services, departments. */
  principals(): Principal[];
  /** Every ACL the broker must hold, sorted and without duplicates. */
  acls(): AclBinding[];
  /** The principal of a service of data/access.yaml; throws for an unknown service. */
  servicePrincipal(service: string): string;
  /** The principal of a catalogue department (whether or not the catalogue has it). */
  departmentPrincipal(departmentCode: string): string;
}
