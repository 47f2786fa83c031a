import { randomUUID } from 'node:crypto';
import type { Actor } from '@city/auth';
import type { CityPlan, PlannedUnit } from './city-plan';
import type { CanvassClient } from './canvass-client';
import { cityTimestamp } from '@city/city-time';
import { SeededRandom } from './random';
import { ScenarioTokens } from './scenario-tokens';

export interface CityScenarioOptions {
  readonly client: CanvassClient;
  readonly plan: CityPlan;
  readonly jwtSecret: string;
  /** Canvass visits per second once the city is registered. */
  readonly visitsPerSecond: number;
  /** Registration requests in flight at once. */
  readonly concurrency?: number;
  readonly log: (message: string) => void;
}

const DEPARTMENT: Actor = { sub: 'scenario-canvass-department', role: 'department', department: 'canvass', name: 'Canvass department (scenario)' };
const TICK_MS = 100;
const MAX_IN_FLIGHT = 64;

/**
 * Makes the embedded city live: registers its subdistricts, units and responsible
 * officials (idempotently, so a restart only resumes), then keeps officials
 * canvassing, standing gate duty and bringing groceries to households in home
 * observation, at a steady rate.
 */
export class CityScenario {
  private readonly random = new SeededRandom(Date.now());
  private readonly openShifts = new Map<string, { unit: PlannedUnit; startedAt: number }>();
  private timer?: NodeJS.Timeout;
  private inFlight = 0;
  private failures = 0;
  // Units known to be registered, so officials only visit what exists; they grow as registration goes on.
  private readonly ready: PlannedUnit[] = [];
  private readonly compounds: PlannedUnit[] = [];
  private readonly homes: PlannedUnit[] = [];

  private readonly tokens: ScenarioTokens;

  constructor(private readonly options: CityScenarioOptions) {
    this.tokens = new ScenarioTokens(options.jwtSecret);
  }

  private get departmentToken(): string {
    return this.signed(DEPARTMENT);
  }

  private signed(actor: Actor): string {
    return this.tokens.of(actor);
  }

  private markReady(unit: PlannedUnit): void {
    this.ready.push(unit);
    if (unit.kind === 'residential-building-group' || unit.kind === 'village-group') this.compounds.push(unit);
    if (unit.size.households > 0) this.homes.push(unit);
  }

  /** Registers what is not registered yet; districts one after another, so the dashboard fills in as it goes. */
  async registerCity(isRegistered: (unitId: string) => Promise<boolean>): Promise<void> {
    const { plan, client } = this.options;
    const started = Date.now();
    let registered = 0;
    for (const sd of plan.subdistricts) {
      const units = plan.units.filter((u) => u.subdistrictCode === sd.subdistrictCode);
      if (units.length > 0 && (await isRegistered(units[units.length - 1].unitId))) {
        units.forEach((u) => this.markReady(u));
        continue;
      }
      await client.expect(
        'POST',
        '/subdistricts',
        this.departmentToken,
        { districtCode: sd.districtCode, subdistrictCode: sd.subdistrictCode, name: sd.name },
        [409],
      );
      await this.inParallel(units, async (unit) => {
        await client.expect('POST', '/units', this.departmentToken, {
          unitId: unit.unitId,
          kind: unit.kind,
          name: unit.name,
          address: unit.address,
          districtCode: unit.districtCode,
          subdistrictCode: unit.subdistrictCode,
          residentsCommittee: unit.residentsCommittee,
          size: unit.size,
        });
        await client.expect('PUT', `/units/${unit.unitId}/official`, this.departmentToken, { officialId: unit.officialId }, [409]);
        this.markReady(unit);
        registered++;
      });
    }
    if (registered > 0) this.options.log(`scenario: registered ${registered} units in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }

  start(): void {
    const perTick = this.options.visitsPerSecond * (TICK_MS / 1000);
    let carry = 0;
    this.timer = setInterval(() => {
      carry += perTick;
      if (this.ready.length === 0) return;
      for (; carry >= 1; carry--) this.fire(() => this.visit());
      if (this.random.chance(0.3) && this.compounds.length > 0) this.fire(() => this.gateDuty());
      if (this.random.chance(0.2) && this.homes.length > 0) this.fire(() => this.doorstepService());
    }, TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private fire(work: () => Promise<void>): void {
    if (this.inFlight >= MAX_IN_FLIGHT) return; // the service is slower than the scenario: skip, don't pile up
    this.inFlight++;
    work()
      .catch((error: Error) => {
        // Keep going: a scenario is a demo, not a test; report the first few failures only.
        if (this.failures++ < 5) this.options.log(`scenario: ${error.message}`);
      })
      .finally(() => this.inFlight--);
  }

  private tokenOf(unit: PlannedUnit): string {
    return this.signed({
      sub: unit.officialId,
      role: 'field-official',
      district: unit.districtCode,
      subdistrict: unit.subdistrictCode,
      department: 'canvass',
    });
  }

  private async visit(): Promise<void> {
    const unit = this.random.pick(this.ready);
    const r = this.random;
    const households = unit.size.households === 0 ? 0 : r.int(0, Math.min(unit.size.households, 60));
    await this.options.client.expect(
      'POST',
      `/units/${unit.unitId}/visits`,
      this.tokenOf(unit),
      {
        visitId: randomUUID(),
        visitedAt: cityTimestamp(new Date()),
        findings: {
          tenantsOpened: unit.size.tenants + unit.size.shops > 0 && r.chance(0.25) ? r.int(1, 3) : 0,
          tenantsClosed: r.chance(0.05) ? 1 : 0,
          householdsCanvassed: households,
          returnedFromOutside: r.chance(0.4) ? r.int(1, 6) : 0,
          inHomeObservation: r.chance(0.2) ? r.int(1, 3) : 0,
          problems: r.chance(0.08)
            ? [{ category: r.pick(['prevention-supplies', 'unregistered-returnee', 'gathering', 'sanitation', 'business-operation', 'other'] as const) }]
            : [],
        },
      },
      [409],
    );
  }

  private async gateDuty(): Promise<void> {
    const now = Date.now();
    // End a shift that has run long enough (a few simulated minutes).
    for (const [shiftId, shift] of this.openShifts) {
      if (now - shift.startedAt > 20_000) {
        this.openShifts.delete(shiftId);
        const checked = this.random.int(20, 400);
        await this.options.client.expect(
          'POST',
          `/gate-shifts/${shiftId}/end`,
          this.tokenOf(shift.unit),
          {
            endedAt: cityTimestamp(new Date()),
            peopleChecked: checked,
            peopleRegistered: this.random.int(0, Math.floor(checked / 10)),
          },
          [409],
        );
        return;
      }
    }
    const unit = this.random.pick(this.compounds);
    const shiftId = randomUUID();
    const started = await this.options.client.send('POST', '/gate-shifts', this.tokenOf(unit), {
      shiftId,
      unitId: unit.unitId,
      gate: this.random.pick(['North gate', 'South gate', 'East gate', 'Main gate']),
      // A gate shift lasts hours; the scenario compresses it by starting it hours ago and ending it soon.
      startedAt: cityTimestamp(new Date(now - this.random.int(2, 4) * 3600_000)),
    });
    // 409: the official is already on duty elsewhere (shifts may not overlap); pick another next time.
    if (started.status < 300) this.openShifts.set(shiftId, { unit, startedAt: now });
  }

  private async doorstepService(): Promise<void> {
    const unit = this.random.pick(this.homes);
    await this.options.client.expect(
      'POST',
      `/units/${unit.unitId}/doorstep-services`,
      this.tokenOf(unit),
      {
        serviceId: randomUUID(),
        kind: this.random.pick(['groceries', 'delivery', 'medicine'] as const),
        households: this.random.int(1, 4),
        deliveredAt: cityTimestamp(new Date()),
      },
      [409],
    );
  }

  private async inParallel<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < items.length) await work(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(this.options.concurrency ?? 8, items.length) }, worker));
  }
}
