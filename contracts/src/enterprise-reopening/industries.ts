/**
 * Reference data of the enterprise-reopening context: the industries whose
 * guidelines the city issued (136 standards and guidelines across 33 industries;
 * these are the ones the service seeds), the first version of each guideline
 * with its required prevention measures, and the departments appeals go to.
 * `contracts/reference/industry-guidelines.json` holds the same data for other
 * tools (a test keeps both equal). A guideline's later versions are events
 * (`IndustryGuidelineIssued`), not constants.
 */
import type { PreventionMeasure } from './events';

export interface Industry {
  /** Code used on the bus and in the API. */
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
  /** Section or division of the national classification of economic activities (GB/T 4754-2017). */
  readonly gbt4754: string;
}

export const INDUSTRIES: readonly Industry[] = [
  { code: 'software-it-services', name: 'Software and IT services', nameZh: '软件和信息技术服务业', gbt4754: 'I65' },
  { code: 'manufacturing', name: 'Manufacturing', nameZh: '制造业', gbt4754: 'C' },
  { code: 'construction', name: 'Construction', nameZh: '建筑业', gbt4754: 'E' },
  { code: 'logistics', name: 'Logistics and warehousing', nameZh: '物流仓储业', gbt4754: 'G59' },
  { code: 'wholesale-retail', name: 'Wholesale and retail', nameZh: '批发和零售业', gbt4754: 'F' },
  { code: 'catering', name: 'Catering', nameZh: '餐饮业', gbt4754: 'H62' },
  { code: 'hotels', name: 'Hotels', nameZh: '住宿业', gbt4754: 'H61' },
  { code: 'office-buildings', name: 'Commercial office buildings', nameZh: '商务楼宇', gbt4754: 'K7020' },
  { code: 'markets', name: 'Markets', nameZh: '农贸市场', gbt4754: 'F5292' },
  { code: 'transport', name: 'Passenger transport', nameZh: '道路客运和城市公共交通', gbt4754: 'G54' },
  { code: 'finance', name: 'Banking and finance', nameZh: '金融业', gbt4754: 'J' },
  { code: 'healthcare', name: 'Healthcare', nameZh: '卫生', gbt4754: 'Q84' },
  { code: 'education-training', name: 'Education and training', nameZh: '教育培训', gbt4754: 'P' },
  { code: 'personal-services', name: 'Hairdressing and personal services', nameZh: '美容美发等居民服务业', gbt4754: 'O80' },
];

export const INDUSTRY_CODES: readonly string[] = INDUSTRIES.map((i) => i.code);

const m = (code: string, requirement: string, requirementZh: string, timesPerDay?: number): PreventionMeasure =>
  timesPerDay === undefined ? { code, requirement, requirementZh } : { code, requirement, requirementZh, timesPerDay };

/** The measures the guidelines draw on, by code. */
export const PREVENTION_MEASURES = {
  entryTemperature: m(
    'entry-temperature-check',
    'Temperature check of everyone at every entrance; 37.3 °C or more is not let in',
    '所有入口测温，37.3℃及以上不得进入',
  ),
  masks: m('masks', 'Staff wear masks at work at all times', '员工上岗全程佩戴口罩'),
  handDisinfection: m('hand-disinfection', 'Hand sanitiser at entrances, lifts and washrooms', '入口、电梯、卫生间配备手部消毒液'),
  cleanerPpe: m('cleaner-ppe', 'Cleaners wear masks, gloves and work clothes', '保洁人员配备口罩、手套和工作服'),
  disinfectionTwice: m('disinfection-twice-daily', 'Public areas disinfected at least twice a day', '公共区域每日至少消毒2次', 2),
  disinfectionFour: m(
    'disinfection-four-times-daily',
    'Counters, carts and public areas disinfected at least four times a day',
    '柜台、推车和公共区域每日至少消毒4次',
    4,
  ),
  ventilation: m(
    'ventilation',
    'Windows opened three times a day for 30 minutes; central air conditioning on fresh air only',
    '每日开窗通风3次、每次30分钟，中央空调全新风运行',
    3,
  ),
  staggeredMeals: m('staggered-meals', 'Staggered meal times, one person per table or facing the same way', '错峰就餐，单人单桌或同向就座'),
  customerFlow: m(
    'customer-flow-limit',
    'Customers inside limited to one per 2 m² of shop floor; queues one metre apart',
    '控制店内客流每2平方米不超过1人，排队间隔1米',
  ),
  noTastings: m('no-tastings', 'No tastings or free samples of food', '暂停试吃试用'),
  disinfectionNotice: m('daily-disinfection-notice', 'The day’s disinfection record posted where the public can see it', '每日公示消毒记录'),
  returneeRegistration: m(
    'returnee-registration',
    'Staff back from outside the city registered, and on site only after 14 days of home observation',
    '外地返沪员工登记，居家观察满14天方可到岗',
  ),
  staffHealthLog: m('staff-health-log', 'Each employee’s temperature and health recorded daily', '每日登记员工体温和健康状况'),
  observationRoom: m('temporary-observation-room', 'A room set aside to separate anyone who falls ill at work', '设置临时隔离观察室'),
  noGatherings: m('no-gatherings', 'No large meetings or gatherings; meetings by video where possible', '不举办大型会议和聚集活动，尽量视频会议'),
  liftLimit: m('lift-occupancy-limit', 'No more than 6 people per lift, standing apart', '电梯每次乘坐不超过6人，分散站立'),
  contactless: m('contactless-delivery', 'Deliveries handed over without contact', '无接触配送'),
  vehicleDisinfection: m('vehicle-disinfection', 'Vehicles disinfected after every trip', '车辆每趟次消毒'),
  closedSite: m(
    'closed-site-management',
    'Site closed off, one entrance with registration; workers housed on or near the site',
    '工地封闭管理，单一出入口登记，工人集中住宿',
  ),
  tableSpacing: m('table-spacing', 'Tables at least one metre apart; takeaway encouraged', '餐桌间距不少于1米，鼓励外卖'),
  guestRegistration: m('guest-health-registration', 'Guests register their travel and health on check-in', '入住客人登记行程和健康状况'),
  appointments: m('appointments-only', 'Service by appointment to keep waiting rooms thin', '预约服务，减少等候聚集'),
  passengerLimit: m('passenger-load-limit', 'Passenger load kept to half of capacity; passengers wear masks', '控制载客率不超过50%，乘客佩戴口罩'),
  toolDisinfection: m('tool-disinfection', 'Tools and towels disinfected after every customer', '工具毛巾一客一消毒'),
} as const satisfies Readonly<Record<string, PreventionMeasure>>;

const P = PREVENTION_MEASURES;
const core = [P.entryTemperature, P.masks, P.handDisinfection, P.cleanerPpe, P.staffHealthLog, P.returneeRegistration];

/** The first version of each industry's guideline: its required prevention measures. */
export interface GuidelineSeed {
  readonly industryCode: string;
  readonly guidelineVersion: 1;
  readonly title: string;
  readonly measures: readonly PreventionMeasure[];
}

export const INITIAL_GUIDELINES: readonly GuidelineSeed[] = [
  {
    industryCode: 'software-it-services',
    guidelineVersion: 1,
    title: 'Prevention guideline for software and IT service firms returning to work',
    measures: [...core, P.disinfectionTwice, P.ventilation, P.staggeredMeals, P.noGatherings, P.liftLimit],
  },
  {
    industryCode: 'manufacturing',
    guidelineVersion: 1,
    title: 'Prevention guideline for industrial enterprises resuming production',
    measures: [...core, P.disinfectionTwice, P.ventilation, P.staggeredMeals, P.observationRoom, P.noGatherings],
  },
  {
    industryCode: 'construction',
    guidelineVersion: 1,
    title: 'Prevention guideline for construction sites resuming work',
    measures: [...core, P.closedSite, P.disinfectionTwice, P.staggeredMeals, P.observationRoom],
  },
  {
    industryCode: 'logistics',
    guidelineVersion: 1,
    title: 'Prevention guideline for logistics and warehousing',
    measures: [...core, P.vehicleDisinfection, P.contactless, P.disinfectionTwice, P.ventilation],
  },
  {
    industryCode: 'wholesale-retail',
    guidelineVersion: 1,
    title: 'Prevention guideline for shops and supermarkets',
    measures: [...core, P.customerFlow, P.noTastings, P.disinfectionFour, P.ventilation, P.disinfectionNotice],
  },
  {
    industryCode: 'catering',
    guidelineVersion: 1,
    title: 'Prevention guideline for restaurants and canteens',
    measures: [...core, P.tableSpacing, P.noTastings, P.disinfectionFour, P.ventilation, P.disinfectionNotice, P.contactless],
  },
  {
    industryCode: 'hotels',
    guidelineVersion: 1,
    title: 'Prevention guideline for hotels',
    measures: [...core, P.guestRegistration, P.disinfectionTwice, P.ventilation, P.liftLimit, P.observationRoom, P.disinfectionNotice],
  },
  {
    industryCode: 'office-buildings',
    guidelineVersion: 1,
    title: 'Prevention guideline for commercial office buildings',
    measures: [...core, P.liftLimit, P.disinfectionTwice, P.ventilation, P.disinfectionNotice, P.observationRoom],
  },
  {
    industryCode: 'markets',
    guidelineVersion: 1,
    title: 'Prevention guideline for wet markets',
    measures: [...core, P.customerFlow, P.noTastings, P.disinfectionFour, P.disinfectionNotice],
  },
  {
    industryCode: 'transport',
    guidelineVersion: 1,
    title: 'Prevention guideline for buses, taxis and coaches',
    measures: [...core, P.vehicleDisinfection, P.passengerLimit, P.ventilation],
  },
  {
    industryCode: 'finance',
    guidelineVersion: 1,
    title: 'Prevention guideline for bank branches and financial institutions',
    measures: [...core, P.customerFlow, P.disinfectionFour, P.ventilation, P.appointments, P.disinfectionNotice],
  },
  {
    industryCode: 'healthcare',
    guidelineVersion: 1,
    title: 'Prevention guideline for clinics and private hospitals',
    measures: [...core, P.appointments, P.observationRoom, P.disinfectionFour, P.ventilation, P.disinfectionNotice],
  },
  {
    industryCode: 'education-training',
    guidelineVersion: 1,
    title: 'Prevention guideline for training institutions (teaching online until further notice)',
    measures: [...core, P.noGatherings, P.disinfectionTwice, P.ventilation],
  },
  {
    industryCode: 'personal-services',
    guidelineVersion: 1,
    title: 'Prevention guideline for hairdressers and personal services',
    measures: [...core, P.appointments, P.toolDisinfection, P.customerFlow, P.disinfectionTwice, P.ventilation, P.disinfectionNotice],
  },
];

/** The departments an appeal can be routed to. */
export interface AppealDepartment {
  readonly code: string;
  readonly name: string;
  readonly nameZh: string;
}

export const APPEAL_DEPARTMENTS: readonly AppealDepartment[] = [
  { code: 'economy-informatization-commission', name: 'Economy and Informatization Commission', nameZh: '市经济信息化委' },
  { code: 'human-resources-social-security', name: 'Human Resources and Social Security Bureau', nameZh: '市人力资源社会保障局' },
  { code: 'commerce-commission', name: 'Commerce Commission', nameZh: '市商务委' },
  { code: 'finance-bureau', name: 'Finance Bureau', nameZh: '市财政局' },
  { code: 'taxation-bureau', name: 'Taxation Bureau', nameZh: '市税务局' },
  { code: 'market-regulation', name: 'Market Regulation Administration', nameZh: '市市场监管局' },
  { code: 'transport-commission', name: 'Transport Commission', nameZh: '市交通委' },
  { code: 'health-commission', name: 'Health Commission', nameZh: '市卫生健康委' },
  { code: 'state-owned-assets', name: 'State-owned Assets Supervision Commission', nameZh: '市国资委' },
];

export const APPEAL_DEPARTMENT_CODES: readonly string[] = APPEAL_DEPARTMENTS.map((d) => d.code);
