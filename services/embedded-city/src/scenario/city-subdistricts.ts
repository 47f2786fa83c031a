/**
 * Subdistricts (街道) and towns (镇) that the scenario registers for each district, as
 * district staff would on their first day. They are reference data a district registers,
 * not constants of the product; the names follow the city's real administrative map.
 * Codes follow the 9-digit township pattern: district code + a 3-digit sequence.
 */
const NAMES: Readonly<Record<string, readonly string[]>> = {
  '310101': ['Nanjing East Road', 'The Bund', 'Bansongyuan Road', 'Xiaodongmen', 'Yuyuan', 'Laoximen', 'Wuliqiao', 'Dapuqiao', 'Middle Huaihai Road', 'Ruijin No. 2 Road'],
  '310104': ['Xujiahui', 'Tianping Road', 'Hunan Road', 'Fenglin Road', 'Xietu Road', 'Changqiao', 'Lingyun Road', 'Longhua', 'Kangjian Xincun', 'Tianlin', 'Caohejing', 'Huajing Town'],
  '310105': ['Jiangsu Road', 'Huayang Road', 'Xinhua Road', 'Zhoujiaqiao', 'Tianshan Road', 'Xianxia Xincun', 'Hongqiao', 'Chengjiaqiao', 'Beixinjing', 'Xinjing Town'],
  '310106': ["Jing'an Temple", 'Nanjing West Road', 'Jiangning Road', 'Shimen No. 2 Road', 'Tianmu West Road', 'Beizhan', 'Baoshan Road', 'Gonghexin Road', 'Daning Road', 'Pengpu Xincun', 'Linfen Road', 'Zhijiang West Road', 'Pengpu Town'],
  '310107': ['Changshou Road', 'Caojiadu', 'Ganquan Road', 'Shiquan Road', 'Yichuan Road', 'Changfeng Xincun', 'Wanli', 'Zhenru Town', 'Changzheng Town', 'Taopu Town'],
  '310109': ['Ouyang Road', 'Quyang Road', 'Guangzhong Road', 'Jiaxing Road', 'North Sichuan Road', 'Tilanqiao', 'North Bund', 'Jiangwan Town'],
  '310110': ['Dinghai Road', 'Pingliang Road', 'Jiangpu Road', 'Siping Road', 'Kongjiang Road', 'Changbai Xincun', 'Yanji Xincun', 'Yinhang', 'Daqiao', 'Wujiaochang', 'Xinjiangwancheng', 'Changhai Road'],
  '310112': ['Jiangchuan Road', 'Gumei Road', 'Xinhong', 'Pujin', 'Xinzhuang Town', 'Qibao Town', 'Zhuanqiao Town', 'Meilong Town', 'Hongqiao Town', 'Huacao Town', 'Wujing Town', 'Maqiao Town', 'Pujiang Town'],
  '310113': ['Youyi Road', 'Wusong', 'Zhangmiao', 'Dachang Town', 'Gucun Town', 'Songnan Town', 'Yanghang Town', 'Yuepu Town', 'Luodian Town', 'Luojing Town', 'Miaohang Town', 'Gaojing Town'],
  '310114': ['Xincheng Road', 'Zhenxin', 'Jiading Town', 'Nanxiang Town', 'Anting Town', 'Malu Town', 'Xuhang Town', 'Huating Town', 'Waigang Town', 'Jiangqiao Town', 'Juyuan New Area'],
  '310115': ['Weifang Xincun', 'Lujiazui', 'Zhoujiadu', 'Tangqiao', 'Yangjing', 'Dongming Road', 'Huamu', 'Jinyang Xincun', 'Zhangjiang Town', 'Chuansha Xinzhen', 'Gaoqiao Town', 'Beicai Town', 'Heqing Town', 'Tang Town', 'Caolu Town', 'Jinqiao Town', 'Gaohang Town', 'Sanlin Town', 'Zhoupu Town', 'Xinchang Town', 'Huinan Town', 'Nicheng Town', 'Datuan Town', 'Kangqiao Town'],
  '310116': ['Shihua', 'Zhujing Town', 'Fengjing Town', 'Zhangyan Town', 'Tinglin Town', 'Lyuxiang Town', 'Langxia Town', 'Jinshanwei Town', 'Caojing Town', 'Shanyang Town'],
  '310117': ['Yueyang', 'Yongfeng', 'Fangsong', 'Zhongshan', 'Guangfulin', 'Jiuliting', 'Sijing Town', 'Sheshan Town', 'Xinqiao Town', 'Dongjing Town', 'Jiuting Town', 'Chedun Town', 'Maogang Town', 'Shihudang Town', 'Xinbang Town', 'Yexie Town'],
  '310118': ['Xiayang', 'Yingpu', 'Xianghuaqiao', 'Zhujiajiao Town', 'Huaxin Town', 'Baihe Town', 'Zhaoxiang Town', 'Xujing Town', 'Chonggu Town', 'Liantang Town', 'Jinze Town'],
  '310120': ['Xidu', 'Nanqiao Town', 'Fengcheng Town', 'Zhuanghang Town', 'Jinhui Town', 'Situan Town', 'Qingcun Town', 'Zhelin Town', 'Haiwan Town', 'Fengpu', 'Jinhai'],
  '310151': ['Chengqiao Town', 'Baozhen Town', 'Xinhe Town', 'Miaozhen Town', 'Shuxin Town', 'Gangyan Town', 'Chenjia Town', 'Zhongxing Town', 'Xianghua Town', 'Jianshe Town', 'Changxing Town', 'Hengsha Township'],
};

export interface ScenarioSubdistrict {
  readonly districtCode: string;
  readonly subdistrictCode: string;
  readonly name: string;
}

export function scenarioSubdistricts(): ScenarioSubdistrict[] {
  return Object.entries(NAMES).flatMap(([districtCode, names]) =>
    names.map((name, i) => ({ districtCode, subdistrictCode: `${districtCode}${String(i + 1).padStart(3, '0')}`, name })),
  );
}
