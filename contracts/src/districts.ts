/**
 * The 16 districts of the city, with their GB/T 2260 administrative codes.
 * Subdistricts and towns are not constants: each district registers its own
 * as reference data through the canvass service.
 */
export interface District {
  readonly code: string;
  readonly name: string;
  /** Name in Chinese, as city staff know it. */
  readonly nameZh: string;
}

export const DISTRICTS: readonly District[] = [
  { code: '310101', name: 'Huangpu', nameZh: '黄浦区' },
  { code: '310104', name: 'Xuhui', nameZh: '徐汇区' },
  { code: '310105', name: 'Changning', nameZh: '长宁区' },
  { code: '310106', name: "Jing'an", nameZh: '静安区' },
  { code: '310107', name: 'Putuo', nameZh: '普陀区' },
  { code: '310109', name: 'Hongkou', nameZh: '虹口区' },
  { code: '310110', name: 'Yangpu', nameZh: '杨浦区' },
  { code: '310112', name: 'Minhang', nameZh: '闵行区' },
  { code: '310113', name: 'Baoshan', nameZh: '宝山区' },
  { code: '310114', name: 'Jiading', nameZh: '嘉定区' },
  { code: '310115', name: 'Pudong New Area', nameZh: '浦东新区' },
  { code: '310116', name: 'Jinshan', nameZh: '金山区' },
  { code: '310117', name: 'Songjiang', nameZh: '松江区' },
  { code: '310118', name: 'Qingpu', nameZh: '青浦区' },
  { code: '310120', name: 'Fengxian', nameZh: '奉贤区' },
  { code: '310151', name: 'Chongming', nameZh: '崇明区' },
];

export const DISTRICT_CODES: readonly string[] = DISTRICTS.map((d) => d.code);

export function isDistrictCode(code: string): boolean {
  return DISTRICT_CODES.includes(code);
}

export function districtByCode(code: string): District | undefined {
  return DISTRICTS.find((d) => d.code === code);
}

/** The city's time zone: "today" on every dashboard is a day in this zone. */
export const CITY_TIME_ZONE = 'Asia/Shanghai';
