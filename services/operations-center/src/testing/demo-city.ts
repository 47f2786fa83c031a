import { DISTRICTS, PROBLEM_CATEGORIES, UNIT_KINDS, type ProblemCategory, type UnitKind } from '@city/contracts';
import type { RecordedEvent } from '@city/eventsourcing';
import { doorstepServiceDelivered, gateShiftEnded, subdistrictRegistered, unitRef, unitRegistered, visitRecorded, type UnitRef } from './canvass-events';

/** Real subdistrict names for a few districts; the others get numbered ones. */
const SUBDISTRICT_NAMES: Readonly<Record<string, readonly string[]>> = {
  '310105': [
    'Huayang Road 华阳路街道',
    'Jiangsu Road 江苏路街道',
    'Xinhua Road 新华路街道',
    'Zhoujiaqiao 周家桥街道',
    'Tianshan Road 天山路街道',
    'Xianxia Xincun 仙霞新村街道',
  ],
  '310107': ['Shiquan Road 石泉路街道', 'Caoyang Xincun 曹杨新村街道', 'Changshou Road 长寿路街道', 'Ganquan Road 甘泉路街道'],
  '310101': ['Nanjing East Road 南京东路街道', 'Waitan 外滩街道', 'Bansongyuan Road 半淞园路街道'],
};

/** A small deterministic random source, so demo figures are the same on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoCity {
  readonly events: RecordedEvent[];
  readonly units: UnitRef[];
}

/**
 * A city with canvass history over the last `days` days up to `now`: every
 * district registers subdistricts and units, officials visit most units every
 * day, stand gate shifts and deliver doorstep services.
 */
export function demoCity(now: Date, options: { days?: number; unitsPerSubdistrict?: number; seed?: number } = {}): DemoCity {
  const rnd = random(options.seed ?? 2020);
  const days = options.days ?? 14;
  const perSub = options.unitsPerSubdistrict ?? 5;
  const start = new Date(now.getTime() - days * 86_400_000);
  const events: RecordedEvent[] = [];
  const units: UnitRef[] = [];
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  for (const district of DISTRICTS) {
    const names = SUBDISTRICT_NAMES[district.code] ?? ['Subdistrict 1 一街道', 'Subdistrict 2 二街道', 'Town 3 三镇'];
    names.forEach((name, i) => {
      const sub = `${district.code}${String(i + 1).padStart(3, '0')}`;
      events.push(subdistrictRegistered(district.code, sub, name, start.toISOString()));
      for (let u = 0; u < perSub; u++) {
        const kind: UnitKind = pick(UNIT_KINDS);
        const unit = unitRef(`${sub}-${u}`, kind, district.code, sub);
        units.push(unit);
        events.push(
          unitRegistered(unit, start.toISOString(), kind === 'residential-building-group' || kind === 'village-group' ? 80 + Math.floor(rnd() * 300) : 0),
        );
      }
    });
  }
  // Each district has its own diligence, so the tiles differ.
  const diligence = new Map(DISTRICTS.map((d) => [d.code, 0.35 + rnd() * 0.6]));
  for (let day = days - 1; day >= 0; day--) {
    const dayEnd = new Date(now.getTime() - day * 86_400_000);
    const span = day === 0 ? Math.min(10 * 3_600_000, Math.max(60_000, msSinceCityMidnight(now) - 60_000)) : 10 * 3_600_000;
    const at = () => new Date(dayEnd.getTime() - Math.floor(rnd() * span)).toISOString();
    for (const unit of units) {
      if (rnd() > (diligence.get(unit.districtCode) ?? 0.5) * (day === 0 ? 0.8 : 1)) continue;
      const problems: { category: ProblemCategory }[] = rnd() < 0.15 ? [{ category: pick(PROBLEM_CATEGORIES) }] : [];
      events.push(
        visitRecorded(unit, at(), {
          householdsCanvassed: unit.kind === 'residential-building-group' || unit.kind === 'village-group' ? 20 + Math.floor(rnd() * 60) : 0,
          returnedFromOutside: Math.floor(rnd() * rnd() * 8),
          inHomeObservation: Math.floor(rnd() * 4),
          tenantsOpened: unit.kind === 'office-building' && rnd() < 0.3 ? 1 : 0,
          problems,
        }),
      );
      if ((unit.kind === 'residential-building-group' || unit.kind === 'village-group') && rnd() < 0.8) {
        const ended = new Date(Date.parse(at()));
        events.push(
          gateShiftEnded(unit, new Date(ended.getTime() - (2 + Math.floor(rnd() * 6)) * 3_600_000).toISOString(), ended.toISOString(), {
            checked: 50 + Math.floor(rnd() * 300),
            registered: Math.floor(rnd() * 10),
          }),
        );
      }
      if (rnd() < 0.2) events.push(doorstepServiceDelivered(unit, at(), pick(['groceries', 'delivery', 'medicine'] as const), 1 + Math.floor(rnd() * 4)));
    }
  }
  return { events, units };
}

function msSinceCityMidnight(now: Date): number {
  const shanghai = new Date(now.getTime() + 8 * 3_600_000); // the city has no daylight saving time
  return shanghai.getTime() % 86_400_000;
}
