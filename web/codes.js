// Generated from the code tables in src/model.rs (src/http/web_codes.rs): do not edit.
// After changing a table: GBA_WRITE_CODES=1 cargo test --lib web_codes
// code → [zh-Hans, zh-Hant (Hong Kong wording), en]

export const CITIES = {
  guangzhou: ['广州', '廣州', 'Guangzhou'],
  shenzhen: ['深圳', '深圳', 'Shenzhen'],
  zhuhai: ['珠海', '珠海', 'Zhuhai'],
  foshan: ['佛山', '佛山', 'Foshan'],
  huizhou: ['惠州', '惠州', 'Huizhou'],
  dongguan: ['东莞', '東莞', 'Dongguan'],
  zhongshan: ['中山', '中山', 'Zhongshan'],
  jiangmen: ['江门', '江門', 'Jiangmen'],
  zhaoqing: ['肇庆', '肇慶', 'Zhaoqing'],
  hongkong: ['香港', '香港', 'Hong Kong'],
  macau: ['澳门', '澳門', 'Macau'],
};

export const CLUSTERS = {
  electronics: ['电子信息', '電子資訊', 'Electronics & information'],
  automotive: ['汽车', '汽車', 'Automotive'],
  smart_appliances: ['智能家电', '智能家電', 'Smart appliances'],
  robotics: ['机器人', '機械人', 'Robotics'],
  green_petrochem: ['绿色石化', '綠色石化', 'Green petrochemicals'],
  biomedicine: ['生物医药', '生物醫藥', 'Biomedicine'],
  new_materials: ['新材料', '新材料', 'New materials'],
  new_energy: ['新能源', '新能源', 'New energy'],
  semiconductors: ['集成电路', '集成電路', 'Semiconductors'],
  ai: ['人工智能', '人工智能', 'Artificial intelligence'],
  other: ['其他', '其他', 'Other'],
};

export const KINDS = {
  enterprise: ['企业', '企業', 'Enterprise'],
  university: ['高校', '大專院校', 'University'],
  research_institute: ['科研院所', '科研機構', 'Research institute'],
  lab: ['实验室', '實驗室', 'Laboratory'],
  incubator: ['孵化器与园区', '孵化器及園區', 'Incubator / park'],
  service_org: ['服务机构', '服務機構', 'Service organisation'],
  supply: ['技术供给', '技術供應', 'Supply (offer)'],
  demand: ['技术需求', '技術需求', 'Demand (need)'],
};

export const COOPERATION = {
  transfer: ['技术转让', '技術轉讓', 'Technology transfer'],
  license: ['专利许可', '專利授權', 'Licensing'],
  joint_development: ['联合研发', '聯合研發', 'Joint development'],
  equity: ['作价入股', '作價入股', 'Equity'],
  commissioned_rd: ['委托研发', '委託研發', 'Commissioned R&D'],
  talent: ['人才合作', '人才合作', 'Talent cooperation'],
  other: ['其他', '其他', 'Other'],
};
