import type { EnterpriseFacts as ReopeningFacts } from '@city/contracts';
import type { SqlDatabase, SqlExecutor } from '@city/sql';
import type { EnterpriseFacts, EnterpriseProfile } from '../domain/enterprise-facts';

/**
 * Policy-relief's own view of enterprises (size, industry, district,
 * reopening status, headcount), one row per enterprise, kept from
 * enterprise-reopening's events on the bus. The consumer writes it in the
 * transaction that stores its Kafka offsets; applications read it.
 */
export class EnterpriseView implements EnterpriseFacts {
  constructor(readonly db: SqlDatabase) {}

  migrate(): Promise<void> {
    return EnterpriseView.migrateTable(this.db);
  }

  static async migrateTable(db: SqlExecutor): Promise<void> {
    await db.query(`CREATE TABLE IF NOT EXISTS policy_relief_enterprises (
      enterprise_id text PRIMARY KEY,
      district_code text NOT NULL,
      subdistrict_code text NOT NULL,
      size text NOT NULL,
      industry text NOT NULL,
      reopening_status text NOT NULL,
      headcount integer NOT NULL,
      stream_version integer,
      updated_at timestamptz NOT NULL DEFAULT now()
    )`);
  }

  async enterpriseOf(enterpriseId: string): Promise<EnterpriseProfile | null> {
    const { rows } = await this.db.query<Row>(`SELECT ${COLUMNS} FROM policy_relief_enterprises WHERE enterprise_id = $1`, [enterpriseId]);
    return rows.length === 0 ? null : profileOf(rows[0]);
  }

  /**
   * Records the facts of an enterprise as of `streamVersion` of its stream in
   * enterprise-reopening. Delivery is at least once: a redelivered older event
   * (a lower version) changes nothing, so the view never goes back in time.
   */
  static async upsert(tx: SqlExecutor, p: EnterpriseProfile, streamVersion: number | null = null): Promise<void> {
    await tx.query(
      `INSERT INTO policy_relief_enterprises (enterprise_id, district_code, subdistrict_code, size, industry, reopening_status, headcount, stream_version, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, now())
       ON CONFLICT (enterprise_id) DO UPDATE SET district_code = EXCLUDED.district_code, subdistrict_code = EXCLUDED.subdistrict_code,
         size = EXCLUDED.size, industry = EXCLUDED.industry, reopening_status = EXCLUDED.reopening_status,
         headcount = EXCLUDED.headcount, stream_version = EXCLUDED.stream_version, updated_at = now()
       WHERE policy_relief_enterprises.stream_version IS NULL OR EXCLUDED.stream_version IS NULL
          OR EXCLUDED.stream_version >= policy_relief_enterprises.stream_version`,
      [p.enterpriseId, p.districtCode, p.subdistrictCode, p.size, p.industry, p.reopeningStatus, p.headcount, streamVersion],
    );
  }

  record(profile: EnterpriseProfile): Promise<void> {
    return EnterpriseView.upsert(this.db, profile);
  }
}

interface Row {
  enterprise_id: string;
  district_code: string;
  subdistrict_code: string;
  size: EnterpriseProfile['size'];
  industry: string;
  reopening_status: EnterpriseProfile['reopeningStatus'];
  headcount: number;
}

const COLUMNS = 'enterprise_id, district_code, subdistrict_code, size, industry, reopening_status, headcount';

function profileOf(r: Row): EnterpriseProfile {
  return {
    enterpriseId: r.enterprise_id,
    districtCode: r.district_code,
    subdistrictCode: r.subdistrict_code,
    size: r.size,
    industry: r.industry,
    reopeningStatus: r.reopening_status,
    headcount: Number(r.headcount),
  };
}

/** An enterprise as enterprise-reopening's events describe it, in the view's terms. */
export function profileFromReopeningFacts(facts: ReopeningFacts): EnterpriseProfile {
  return {
    enterpriseId: facts.creditCode,
    districtCode: facts.districtCode,
    subdistrictCode: facts.subdistrictCode,
    size: facts.size,
    industry: facts.industryCode,
    reopeningStatus: facts.reopeningStatus,
    headcount: facts.usualHeadcount,
  };
}
