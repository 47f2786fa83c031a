import { randomUUID } from 'node:crypto';
import type { Actor } from '@city/auth';
import { cityDayOf } from '@city/city-time';
import type { ScenarioSubdistrict } from './city-subdistricts';
import type { CanvassClient as HttpClient } from './canvass-client';
import { SeededRandom } from './random';
import { ScenarioTokens } from './scenario-tokens';

/** The checkpoints the scenario's city registers: railway stations, airports, road checkpoints, a port. */
export const SCENARIO_CHECKPOINTS = [
  { checkpointId: 'hongqiao-railway', name: 'Hongqiao Railway Station 虹桥火车站', kind: 'railway', districtCode: '310112' },
  { checkpointId: 'shanghai-railway', name: 'Shanghai Railway Station 上海火车站', kind: 'railway', districtCode: '310106' },
  { checkpointId: 'pudong-airport', name: 'Pudong International Airport 浦东机场', kind: 'airport', districtCode: '310115' },
  { checkpointId: 'hongqiao-airport', name: 'Hongqiao Airport 虹桥机场', kind: 'airport', districtCode: '310112' },
  { checkpointId: 'g2-anting', name: 'G2 Anting road checkpoint G2安亭道口', kind: 'road', districtCode: '310114' },
  { checkpointId: 'g60-fengjing', name: 'G60 Fengjing road checkpoint G60枫泾道口', kind: 'road', districtCode: '310116' },
  { checkpointId: 'wusongkou-port', name: 'Wusongkou cruise port 吴淞口码头', kind: 'port', districtCode: '310113' },
] as const;

/** Where arrivals come from (province, city), weighted roughly as the Spring Festival return flows. */
const ORIGINS = [
  ['320000', '320100'],
  ['330000', '330100'],
  ['340000', '340100'],
  ['360000', '360100'],
  ['410000', '410100'],
  ['510000', '510100'],
  ['430000', '430100'],
  ['420000', '420100'],
  ['440000', '440100'],
] as const;
/** Residents' committees per subdistrict in the scenario: arrivals live in committees 001 to 012. */
const COMMITTEES_PER_SUBDISTRICT = 12;
const ZH_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** The residents' committees of the scenario's subdistricts, by district, as `POST /districts/:code/committees` takes them. */
export function scenarioCommittees(subdistricts: readonly ScenarioSubdistrict[]): Map<string, object[]> {
  const byDistrict = new Map<string, object[]>();
  for (const sd of subdistricts) {
    const list = byDistrict.get(sd.districtCode) ?? [];
    for (let n = 1; n <= COMMITTEES_PER_SUBDISTRICT; n++) {
      list.push({
        subdistrictCode: sd.subdistrictCode,
        subdistrictName: sd.name,
        committeeCode: `${sd.subdistrictCode}${String(n).padStart(3, '0')}`,
        name: `${sd.name} No. ${n} Residents’ Committee 第${ZH_NUMBERS[n - 1]}居委会`,
      });
    }
    byDistrict.set(sd.districtCode, list);
  }
  return byDistrict;
}

const NAMES = ['王伟', '李娜', '张敏', '刘洋', '陈静', '杨磊', '赵丽', '黄强', '周婷', '吴军'];
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const TICK_MS = 200;
const MAX_IN_FLIGHT = 32;

export interface TravellerScenarioOptions {
  readonly client: HttpClient;
  readonly subdistricts: readonly ScenarioSubdistrict[];
  readonly jwtSecret: string;
  /** Average registrations per second over a day (the city saw ~3/s, 250,000 a day); more by day, fewer at night. */
  readonly arrivalsPerSecond: number;
  readonly log: (message: string) => void;
}

interface Observed {
  readonly travellerId: string;
  readonly subdistrictCode: string;
  readonly districtCode: string;
  decided: Set<string>;
}

/**
 * Arrivals at the city's checkpoints at a daily rhythm, from phones and kiosks; community workers
 * start home observation of the key persons pushed to them and record check-ins in the morning
 * and evening windows (some are missed and flagged by the service's scheduler; a few show fever,
 * are referred to a fever clinic and cleared).
 */
export class TravellerScenario {
  private readonly random = new SeededRandom(Date.now() ^ 0x5eed);
  private readonly department: Actor;
  private readonly tokens: ScenarioTokens;
  private readonly observed: Observed[] = [];
  private timer?: NodeJS.Timeout;
  private owed = 0;
  private inFlight = 0;
  private serial = Math.floor(Math.random() * 1e6);
  private kiosk: object[] = [];

  constructor(private readonly options: TravellerScenarioOptions) {
    const department: Actor = { sub: 'scenario-traveller-health', role: 'department', department: 'traveller-health', name: 'Traveller health (scenario)' };
    this.department = department;
    this.tokens = new ScenarioTokens(options.jwtSecret);
  }

  private get departmentToken(): string {
    return this.tokens.of(this.department);
  }

  async start(): Promise<void> {
    for (const checkpoint of SCENARIO_CHECKPOINTS) await this.options.client.expect('POST', '/checkpoints', this.departmentToken, checkpoint);
    // Each district's residents' committees, as its staff would register them: the registration page offers them by name.
    for (const [districtCode, committees] of scenarioCommittees(this.options.subdistricts)) {
      await this.options.client.expect('POST', `/districts/${districtCode}/committees`, this.departmentToken, { committees });
    }
    this.timer = setInterval(() => this.tick(), TICK_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private tick(): void {
    const hour = (new Date().getUTCHours() + 8) % 24;
    const rhythm = hour < 6 ? 0.2 : hour < 9 ? 1.2 : hour < 21 ? 1.4 : 0.6; // averages about 1 over a day
    this.owed += (this.options.arrivalsPerSecond * rhythm * TICK_MS) / 1000;
    while (this.owed >= 1 && this.inFlight < MAX_IN_FLIGHT) {
      this.owed -= 1;
      const arrival = this.arrival();
      if (this.random.chance(0.3)) this.kiosk.push(arrival);
      else this.run(() => this.register(arrival));
    }
    if (this.kiosk.length >= 20 || (this.kiosk.length > 0 && this.random.chance(0.05))) {
      const batch = this.kiosk.splice(0);
      this.run(() => this.options.client.expect('POST', '/registration-batches', this.departmentToken, { registrations: batch }));
    }
    this.observe(hour);
  }

  private run(work: () => Promise<unknown>): void {
    this.inFlight++;
    work()
      .catch((error: Error) => this.options.log(`traveller scenario: ${error.message}`))
      .finally(() => this.inFlight--);
  }

  private async register(arrival: ReturnType<TravellerScenario['arrival']>): Promise<void> {
    const receipt = (await this.options.client.expect('POST', '/registrations', this.departmentToken, arrival)) as { travellerId: string; riskClass: string };
    if (receipt.riskClass !== 'key') return;
    const { districtCode, subdistrictCode } = arrival.destination;
    // The committee starts home observation soon after the push.
    await this.options.client.expect('POST', `/travellers/${receipt.travellerId}/observation`, this.workerToken(districtCode, subdistrictCode), {}, [409]);
    this.observed.push({ travellerId: receipt.travellerId, districtCode, subdistrictCode, decided: new Set() });
  }

  /** Check-ins of the people in observation during the open window (06:00–12:00, 17:00–22:00 city time); about one in ten is missed. */
  private observe(hour: number): void {
    const slot = hour >= 6 && hour < 12 ? 'morning' : hour >= 17 && hour < 22 ? 'evening' : undefined;
    if (!slot) return;
    const key = `${cityDayOf(new Date())}-${slot}`;
    for (let n = 0; n < 5 && this.observed.length > 0 && this.inFlight < MAX_IN_FLIGHT; n++) {
      const person = this.random.pick(this.observed);
      if (person.decided.has(key)) continue;
      person.decided.add(key);
      if (this.random.chance(0.1)) continue; // forgotten: the scheduler will flag it at the window's end
      const fever = this.random.chance(0.02);
      const token = this.workerToken(person.districtCode, person.subdistrictCode);
      const path = `/travellers/${person.travellerId}`;
      this.run(async () => {
        const temperatureC = fever ? 37.6 + this.random.int(0, 12) / 10 : 36.1 + this.random.int(0, 8) / 10;
        await this.options.client.expect('POST', `${path}/check-ins`, token, { slot, temperatureC, symptomatic: fever }, [409]);
        if (!fever) return;
        const referralId = `ref-${randomUUID()}`;
        await this.options.client.expect('POST', `${path}/referrals`, token, { referralId });
        await this.options.client.expect('POST', `${path}/referrals/${referralId}/outcome`, token, { outcome: 'cleared' });
        await this.options.client.expect('POST', `${path}/flags/${key}-fever/resolve`, token, {}, [409]);
      });
    }
  }

  private workerToken(districtCode: string, subdistrictCode: string): string {
    return this.tokens.of({
      sub: `community-${subdistrictCode}`,
      role: 'field-official',
      district: districtCode,
      subdistrict: subdistrictCode,
      department: 'traveller-health',
    });
  }

  private arrival() {
    const r = this.random;
    const sd = r.pick(this.options.subdistricts);
    const [provinceCode, cityCode] = r.chance(0.04) ? ORIGINS[7] : r.pick(ORIGINS.slice(0, 7).concat(ORIGINS.slice(8)));
    const checkpoint = r.pick(SCENARIO_CHECKPOINTS);
    const mode =
      checkpoint.kind === 'railway'
        ? 'train'
        : checkpoint.kind === 'airport'
          ? 'flight'
          : checkpoint.kind === 'port'
            ? 'ship'
            : r.chance(0.7)
              ? 'car'
              : 'coach';
    const stayedInKeyArea = r.chance(0.05);
    return {
      registrationId: randomUUID(),
      checkpointId: checkpoint.checkpointId,
      identity: { name: r.pick(NAMES), documentKind: 'resident-id', documentNumber: this.residentId() },
      phone: `13${r.int(5, 9)}${String(r.int(0, 99_999_999)).padStart(8, '0')}`,
      origin: { provinceCode, cityCode },
      trip: { mode, number: mode === 'train' ? `G${r.int(1, 7999)}` : mode === 'flight' ? `MU${r.int(1000, 9999)}` : undefined, date: cityDayOf(new Date()) },
      destination: {
        districtCode: sd.districtCode,
        subdistrictCode: sd.subdistrictCode,
        committeeCode: `${sd.subdistrictCode}${String(r.int(1, COMMITTEES_PER_SUBDISTRICT)).padStart(3, '0')}`,
        address: `No. ${r.int(1, 999)}, Lane ${r.int(1, 500)}, Room ${r.int(101, 2505)}`,
      },
      declaration: {
        temperatureC: r.chance(0.01) ? 37.5 : 36.2 + r.int(0, 7) / 10,
        symptoms: r.chance(0.01) ? ['cough', 'shortness-of-breath'] : [],
        contactWithCases: r.chance(0.005),
        keyAreaStays: stayedInKeyArea ? ['420100'] : [],
      },
    };
  }

  /** A resident ID with a valid ISO 7064 MOD 11-2 check character (the service checks it). */
  private residentId(): string {
    const year = 1950 + this.random.int(0, 50);
    const first17 = `310${String(this.random.int(100, 120))}${year}0${this.random.int(1, 9)}1${this.random.int(0, 9)}${String(this.serial++ % 1000).padStart(3, '0')}`;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * WEIGHTS[i];
    return first17 + '10X98765432'[sum % 11];
  }
}
