/**
 * A credit report (信用报告) as issued: the content, and what makes a printed copy checkable. `contentHash` is the
 * SHA-256 of the canonical JSON of everything here except `contentHash` and `verificationCode`; the code is the
 * hash's first 16 hex digits in groups of four, printed on the report and checked at the public verification URL.
 */
export interface CreditReport {
  /** XYBG-<yyyymmdd>-<10 digits>, unique. */
  reportNumber: string;
  /** e.g. 3F2A-91C0-77B1-0D4E. */
  verificationCode: string;
  contentHash: string;
  /** ISO timestamp. */
  issuedAt: string;
  /** The authorised client the report was issued to, and the matter it named. */
  issuedTo: string;
  purpose: string;
  /** Where anyone can check the report: the public verification page for this number. */
  verifyUrl: string;
  content: ReportContent;
}

export interface ReportSubject {
  code: string;
  /** The code as it may be shown: the USCC, or a natural person's masked identity number. */
  displayCode: string;
  name: string;
  /** enterprise, individual_business, natural_person, ... and its Chinese name (企业, 个体工商户, 自然人, ...). */
  kind: string;
  kindName: string;
  category: string;
  divisionCode: string | null;
  formerNames: string[];
  legacyCodes: { code: string; codeType: string }[];
}

export interface ReportListEntry {
  listType: string;
  /** e.g. 失信被执行人名单. */
  listName: string;
  colour: 'red' | 'black' | 'watch' | 'warning';
  state: string;
  designatingDepartment: string;
  departmentName: string;
  validFrom: string;
  validUntil: string | null;
  explanation: string;
}

export interface ReportRecord {
  department: string;
  departmentName: string;
  sourceRecordId: string;
  kind: string;
  /** e.g. 行政处罚. */
  kindName: string;
  severity: string;
  /** active, corrected, revoked, repaired, expired. */
  status: string;
  decisionDate: string;
  /** public: its disclosure window is open; closed: the window has closed; authorised: never public. */
  disclosure: 'public' | 'closed' | 'authorised';
  /** A one-line title (document number and what it is about). */
  title: string;
  /** The record's own fields, labelled, as strings (the envelope and identity numbers left out). */
  details: { label: string; value: string }[];
}

export interface ReportContent {
  subject: ReportSubject;
  /** The China date the report describes. */
  asOf: string;
  summary: {
    recordsTotal: number;
    inForce: number;
    penalties: number;
    seriousDishonesty: number;
    positive: number;
    listEntriesInForce: number;
  };
  listEntries: ReportListEntry[];
  records: ReportRecord[];
  catalogueVersion: string;
  listTypesVersion: string;
}
