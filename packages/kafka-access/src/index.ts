export { aclDifference, aclKey, generateAcls, sortAcls } from './acls.ts';
export { KafkaAccessInvalid } from './errors.ts';
export { loadKafkaAccess } from './load.ts';
export { ACCESS_FILE } from './paths.ts';
export type {
  AccessData,
  AclBinding,
  AclOperation,
  KafkaAccess,
  PatternType,
  Principal,
  ResourceType,
} from './types.ts';
