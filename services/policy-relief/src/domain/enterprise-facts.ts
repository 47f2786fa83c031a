import type { EnterpriseSize, ReopeningStatus } from '@city/contracts';

/**
 * An enterprise as policy-relief knows it: its own view, kept from
 * enterprise-reopening's events on the bus (never by calling that service).
 * The landlord is not among these facts: the enterprise states it in its application.
 */
export interface EnterpriseProfile {
  /** Unified social credit code. */
  readonly enterpriseId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly size: EnterpriseSize;
  readonly industry: string;
  readonly reopeningStatus: ReopeningStatus;
  /** Usual headcount, which per-employee amounts are counted on. */
  readonly headcount: number;
}

/** The port to policy-relief's view of enterprises: null for an enterprise the view has not heard of yet. */
export interface EnterpriseFacts {
  enterpriseOf(enterpriseId: string): Promise<EnterpriseProfile | null>;
}
