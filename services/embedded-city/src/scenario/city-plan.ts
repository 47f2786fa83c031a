import type { UnitKind, UnitSize } from '@city/contracts';
import { SeededRandom } from './random';
import { scenarioSubdistricts, type ScenarioSubdistrict } from './city-subdistricts';

/**
 * The city the scenario registers: every district's subdistricts, the units of the
 * five responsibility kinds in each, and the officials who answer for them
 * (about six units each, as "say, 3 office buildings and 8 street shops" suggests).
 */
export interface PlannedUnit {
  readonly unitId: string;
  readonly kind: UnitKind;
  readonly name: string;
  readonly address: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly residentsCommittee: string;
  readonly size: UnitSize;
  readonly officialId: string;
}

export interface PlannedOfficial {
  readonly officialId: string;
  readonly districtCode: string;
  readonly subdistrictCode: string;
}

export interface CityPlan {
  readonly subdistricts: readonly ScenarioSubdistrict[];
  readonly units: readonly PlannedUnit[];
  readonly officials: readonly PlannedOfficial[];
}

const UNITS_PER_OFFICIAL = 6;
const STREETS = [
  "Yan'an Road",
  'Huashan Road',
  'Changning Road',
  'Zhongshan Park Lane',
  'Wuyi Road',
  'Dingxi Road',
  'Xinhua Road',
  'Fahuazhen Road',
  'Panyu Road',
  'Kaixuan Road',
];

function sizeOf(kind: UnitKind, random: SeededRandom): UnitSize {
  switch (kind) {
    case 'office-building':
      return { tenants: random.int(15, 120), shops: random.int(0, 8), households: 0 };
    case 'street-block':
      return { tenants: 0, shops: random.int(12, 90), households: random.int(0, 120) };
    case 'residential-building-group':
      return { tenants: 0, shops: random.int(0, 10), households: random.int(250, 1500) };
    case 'village-group':
      return { tenants: 0, shops: random.int(0, 6), households: random.int(80, 600) };
    case 'market':
      return { tenants: 0, shops: random.int(40, 220), households: 0 };
  }
}

function kindsFor(subdistrict: ScenarioSubdistrict, random: SeededRandom): UnitKind[] {
  // Towns (镇) have village groups; urban subdistricts (街道) have more office buildings.
  const town = /Town|Township/.test(subdistrict.name);
  const counts: Record<UnitKind, number> = town
    ? {
        'office-building': random.int(0, 2),
        'street-block': random.int(2, 4),
        'residential-building-group': random.int(4, 8),
        'village-group': random.int(4, 8),
        market: random.int(1, 2),
      }
    : {
        'office-building': random.int(3, 8),
        'street-block': random.int(4, 8),
        'residential-building-group': random.int(6, 10),
        'village-group': 0,
        market: random.int(1, 2),
      };
  return (Object.keys(counts) as UnitKind[]).flatMap((kind) => Array.from({ length: counts[kind] }, () => kind));
}

const KIND_LABEL: Record<UnitKind, string> = {
  'office-building': 'Office building',
  'street-block': 'Street block',
  'residential-building-group': 'Residential buildings',
  'village-group': 'Village group',
  market: 'Market',
};

export function planCity(seed = 20200210): CityPlan {
  const random = new SeededRandom(seed);
  const subdistricts = scenarioSubdistricts();
  const units: PlannedUnit[] = [];
  const officials: PlannedOfficial[] = [];
  for (const sd of subdistricts) {
    const kinds = kindsFor(sd, random);
    let official: PlannedOfficial | undefined;
    kinds.forEach((kind, i) => {
      if (i % UNITS_PER_OFFICIAL === 0) {
        official = { officialId: `official-${sd.subdistrictCode}-${officials.length + 1}`, districtCode: sd.districtCode, subdistrictCode: sd.subdistrictCode };
        officials.push(official);
      }
      const n = i + 1;
      units.push({
        unitId: `${sd.subdistrictCode}-${String(n).padStart(3, '0')}`,
        kind,
        name: `${KIND_LABEL[kind]} ${n}, ${sd.name}`,
        address: `${random.int(1, 1800)} ${random.pick(STREETS)}, ${sd.name}`,
        districtCode: sd.districtCode,
        subdistrictCode: sd.subdistrictCode,
        residentsCommittee: `${sd.name} Residents' Committee ${1 + Math.floor(i / 8)}`,
        size: sizeOf(kind, random),
        officialId: (official as PlannedOfficial).officialId,
      });
    });
  }
  return { subdistricts, units, officials };
}
