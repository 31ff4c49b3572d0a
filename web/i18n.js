// All interface strings, in Simplified Chinese (zh-Hans), Traditional Chinese as written in
// Hong Kong (zh-Hant) and English (en); the code tables (cities, clusters, kinds …) with labels;
// and the choice of the interface language.

import { CITIES, CLUSTERS, KINDS, COOPERATION } from './codes.js';

export { CITIES, CLUSTERS, KINDS, COOPERATION };

export const LANGS = ['zh-Hans', 'zh-Hant', 'en'];
const IDX = { 'zh-Hans': 0, 'zh-Hant': 1, en: 2 };

/** Short button label and full name of each interface language (in that language). */
export const LANG_NAMES = {
  'zh-Hans': ['简', '简体中文'],
  'zh-Hant': ['繁', '繁體中文（香港）'],
  en: ['EN', 'English'],
};

// key: [zh-Hans, zh-Hant, en]
const S = {
  'site.name': ['粤港澳大湾区创新资源检索', '粵港澳大灣區創新資源搜尋', 'Greater Bay Area Innovation Search'],
  'site.short': ['湾区创新检索', '灣區創新搜尋', 'GBA Innovation Search'],
  'site.home': ['首页', '首頁', 'Home'],
  'skip': ['跳到主要内容', '跳至主要內容', 'Skip to main content'],
  'nav.label': ['主导航', '主要導覽', 'Main navigation'],
  'nav.search': ['检索', '搜尋', 'Search'],
  'nav.overview': ['数据概览', '資料概覽', 'Overview'],
  'nav.board': ['供需广场', '供求平台', 'Listings board'],
  'nav.post': ['发布供需', '發佈供求', 'Post a listing'],
  'lang.label': ['界面语言', '介面語言', 'Interface language'],

  'hero.title': ['粤港澳大湾区创新资源，一站检索', '粵港澳大灣區創新資源，一站搜尋', 'The Greater Bay Area’s innovation resources, in one search'],
  'hero.text': [
    '检索大湾区 11 座城市的创新主体、高端人才、技术供需、技术路线图与产业数据；简体、繁体和英文都可以输入。',
    '搜尋大灣區 11 個城市的創新主體、高端人才、技術供求、技術路線圖及產業資料；可用繁體、簡體或英文輸入。',
    'Search enterprises, universities, labs, experts, technology offers and needs, roadmaps and industry profiles across the 11 cities of the Guangdong–Hong Kong–Macau Greater Bay Area — in Simplified or Traditional Chinese, or in English.',
  ],
  'hero.try': ['试试：', '試試：', 'Try:'],

  'search.label': ['检索词', '搜尋字詞', 'Search terms'],
  'search.placeholder': ['如：机器人、锂电池、港科大', '例如：機械人、鋰電池、港科大', 'e.g. robotics, lithium battery, HKUST'],
  'search.submit': ['检索', '搜尋', 'Search'],
  'search.header_placeholder': ['检索全部资源', '搜尋全部資源', 'Search all resources'],
  'search.suggestions': ['输入建议', '輸入建議', 'Suggestions'],
  'search.suggest_hint': ['用上下方向键选择建议，按 Enter 打开', '用上下方向鍵選擇建議，按 Enter 開啟', 'Use the up and down arrow keys to choose a suggestion, Enter to open it'],
  'search.matched': ['匹配：{m}', '配對：{m}', 'matched: {m}'],
  'search.heading': ['检索结果', '搜尋結果', 'Search results'],
  'search.title_q': ['“{q}”的检索结果', '「{q}」的搜尋結果', 'Results for “{q}”'],
  'search.browse': ['最新收录', '最新收錄', 'Newest records'],
  'search.related': ['与 {name} 相关', '與 {name} 相關', 'Related to {name}'],

  'filters.title': ['筛选', '篩選', 'Filters'],
  'filters.show': ['筛选条件', '篩選條件', 'Filters'],
  'filters.collections': ['资源类型', '資源類型', 'Resource type'],
  'filters.city': ['城市', '城市', 'City'],
  'filters.cluster': ['产业集群', '產業集群', 'Industry cluster'],
  'filters.kind': ['类别', '類別', 'Kind'],
  'filters.clear': ['清除全部筛选', '清除全部篩選', 'Clear all filters'],
  'filters.active': ['已选筛选条件', '已選篩選條件', 'Active filters'],
  'filters.remove': ['移除筛选：{x}', '移除篩選：{x}', 'Remove filter: {x}'],
  'filters.count': ['{n} 条', '{n} 項', '{n} records'],
  'filters.none': ['无可选项', '沒有選項', 'No options'],

  'results.total': ['共 {n} 条结果', '共 {n} 項結果', '{n} results'],
  'results.total_one': ['共 {n} 条结果', '共 {n} 項結果', '{n} result'],
  'results.took': ['（用时 {ms} 毫秒）', '（用時 {ms} 毫秒）', ' in {ms} ms'],
  'results.page_of': ['第 {p} / {pages} 页', '第 {p} / {pages} 頁', 'page {p} of {pages}'],
  'sort.label': ['排序', '排序', 'Sort by'],
  'sort.relevance': ['相关度', '相關度', 'Relevance'],
  'sort.newest': ['最新', '最新', 'Newest'],
  'perpage.label': ['每页', '每頁', 'Per page'],
  'loading': ['正在加载…', '載入中…', 'Loading…'],
  'searching': ['正在检索…', '正在搜尋…', 'Searching…'],

  'empty.title_q': ['没有找到与“{q}”相关的结果', '找不到與「{q}」相關的結果', 'No results for “{q}”'],
  'empty.title': ['没有符合筛选条件的记录', '沒有符合篩選條件的記錄', 'No records match these filters'],
  'empty.filters': ['当前设置了筛选条件，清除后可能会有更多结果。', '目前設有篩選條件，清除後或會有更多結果。', 'Filters are active; clearing them may show more results.'],
  'empty.clear': ['清除筛选，重新检索', '清除篩選，重新搜尋', 'Clear filters and search again'],
  'empty.tips': ['换个说法，或试试下面的例子（简体、繁体、英文均可）：', '換個說法，或試試以下例子（繁體、簡體、英文皆可）：', 'Try other words, or one of these examples (Simplified, Traditional or English):'],

  'page.label': ['分页', '分頁', 'Pagination'],
  'page.prev': ['上一页', '上一頁', 'Previous'],
  'page.next': ['下一页', '下一頁', 'Next'],
  'page.n': ['第 {n} 页', '第 {n} 頁', 'Page {n}'],

  'hit.confirmed': ['确认于 {d}', '確認於 {d}', 'confirmed {d}'],
  'hit.updated': ['更新于 {d}', '更新於 {d}', 'updated {d}'],
  'hit.supply': ['供', '供', 'Supply'],
  'hit.demand': ['需', '需', 'Demand'],
  'hit.supply_long': ['技术供给', '技術供應', 'Technology offer'],
  'hit.demand_long': ['技术需求', '技術需求', 'Technology need'],

  'status.open': ['开放中', '開放中', 'Open'],
  'status.closed': ['已关闭', '已關閉', 'Closed'],
  'status.withdrawn': ['已撤回', '已撤回', 'Withdrawn'],
  'status.expired': ['已过期', '已過期', 'Expired'],

  'error.title': ['出错了', '出現錯誤', 'Something went wrong'],
  'error.network': ['无法连接服务器，请检查网络后重试。', '無法連接伺服器，請檢查網絡後再試。', 'The server could not be reached; check your connection and try again.'],
  'error.server': ['服务器出错（{status}）：{msg}', '伺服器出錯（{status}）：{msg}', 'Server error ({status}): {msg}'],
  'error.request': ['请求无效：{msg}', '請求無效：{msg}', 'The request was not accepted: {msg}'],
  'error.401': ['机构令牌缺失或无效：请在“机构令牌”中填写平台签发的有效令牌。', '機構權杖缺失或無效：請在「機構權杖」填寫平台簽發的有效權杖。', 'Your organisation token is missing or not valid: enter a valid token under “Organisation token”.'],
  'retry': ['重试', '重試', 'Try again'],
  'dismiss': ['关闭', '關閉', 'Dismiss'],

  'notfound.title': ['找不到这条记录', '找不到這項記錄', 'Record not found'],
  'notfound.text': ['“{c}”中没有编号为“{id}”的记录，它可能已被删除，或链接有误。', '「{c}」中沒有編號為「{id}」的記錄，它可能已被刪除，或連結有誤。', 'There is no record “{id}” in {c}; it may have been removed, or the link is wrong.'],
  'notfound.page': ['找不到此页面', '找不到此頁面', 'Page not found'],
  'notfound.back': ['返回检索首页', '返回搜尋首頁', 'Back to search'],
  'notfound.search': ['检索“{id}”', '搜尋「{id}」', 'Search for “{id}”'],

  'detail.description': ['简介', '簡介', 'Description'],
  'detail.description_en': ['英文简介', '英文簡介', 'English description'],
  'detail.original': ['中文原文', '中文原文', 'Chinese original'],
  'detail.facts': ['基本信息', '基本資料', 'Key facts'],
  'detail.talents': ['本机构的人才', '本機構的人才', 'Experts at this organisation'],
  'detail.listings': ['本机构发布的供需信息', '本機構發佈的供求資訊', 'Listings posted by this organisation'],
  'detail.none_talents': ['暂无登记的人才。', '暫未有登記的人才。', 'No experts are recorded for this organisation.'],
  'detail.none_listings': ['暂无开放中的供需信息。', '暫未有開放中的供求資訊。', 'No open listings from this organisation.'],
  'detail.see_all': ['在检索中查看全部 {n} 条', '在搜尋中查看全部 {n} 項', 'See all {n} in search'],
  'detail.matches': ['匹配的合作方', '配對的合作方', 'Matching counterparts'],
  'detail.matches_intro': ['根据关键词、产业集群、技术领域、合作方式、技术成熟度与城市计算的匹配结果，附匹配理由。', '根據關鍵詞、產業集群、技術領域、合作方式、技術成熟度及城市計算的配對結果，並附配對理由。', 'Counterparts found from shared terms, clusters, technology fields, cooperation modes, readiness level and city — each with its reasons.'],
  'detail.no_matches': ['暂未找到匹配的合作方。', '暫未找到配對的合作方。', 'No counterparts found yet.'],
  'detail.fitting_needs': ['可对接的技术需求', '可對接的技術需求', 'Open needs this could answer'],
  'detail.fitting_needs_intro': ['其他机构发布、与此相符的开放需求，附匹配理由；在需求页面可表达合作意向。', '其他機構發佈、與此相符的開放需求，並附配對理由；可在需求頁面表達合作意向。', 'Open needs posted by other organisations that fit, each with its reasons; express interest on the need’s page.'],
  'detail.no_fitting_needs': ['暂未找到相符的开放需求。', '暫未找到相符的開放需求。', 'No open need fits yet.'],
  'detail.score': ['匹配度', '配對度', 'Match'],
  'detail.reasons': ['匹配理由', '配對理由', 'Why it matches'],
  'detail.bottlenecks': ['卡脖子技术与潜在解决方', '卡脖子技術及潛在解決方', 'Bottlenecks (卡脖子) and who could solve them'],
  'detail.bottleneck_intro': ['每个卡脖子问题下列出可能解决它的机构、人才和技术供给。', '每個卡脖子問題下列出可能解決它的機構、人才及技術供應。', 'For each bottleneck: the organisations, experts and technology offers that could solve it.'],
  'detail.no_bottlenecks': ['未列出卡脖子问题。', '未有列出卡脖子問題。', 'No bottlenecks are listed.'],
  'detail.milestones': ['里程碑', '里程碑', 'Milestones'],
  'detail.indicators': ['产业指标', '產業指標', 'Indicators'],
  'detail.no_indicators': ['这条产业记录没有量化指标（以定性描述为主）。', '這項產業記錄沒有量化指標（以定性描述為主）。', 'This industry profile has no numeric indicators (it is qualitative).'],
  'detail.indicator': ['指标', '指標', 'Indicator'],
  'detail.value': ['数值', '數值', 'Value'],
  'detail.explore': ['继续探索', '繼續探索', 'Explore further'],
  'detail.same_city_cluster': ['{city}的{cluster}资源', '{city}的{cluster}資源', '{cluster} in {city}'],
  'detail.same_cluster': ['全部{cluster}资源', '全部{cluster}資源', 'All {cluster} resources'],
  'detail.breadcrumb': ['位置', '位置', 'Breadcrumb'],
  'detail.updated': ['最后更新：{d}', '最後更新：{d}', 'Last updated {d}'],
  'detail.trl_scale': ['技术成熟度 {n}/9', '技術成熟度 {n}/9', 'Technology readiness {n} of 9'],

  'field.id': ['编号', '編號', 'ID'],
  'field.kind': ['类别', '類別', 'Kind'],
  'field.city': ['城市', '城市', 'City'],
  'field.clusters': ['产业集群', '產業集群', 'Clusters'],
  'field.fields': ['技术领域', '技術領域', 'Technology fields'],
  'field.aliases': ['别名', '別名', 'Also known as'],
  'field.founded': ['成立年份', '成立年份', 'Founded'],
  'field.website': ['网站', '網站', 'Website'],
  'field.capabilities': ['能力与服务', '能力與服務', 'Capabilities'],
  'field.title': ['职称', '職銜', 'Title'],
  'field.affiliation': ['所属机构', '所屬機構', 'Affiliation'],
  'field.expertise': ['研究专长', '研究專長', 'Expertise'],
  'field.honors': ['荣誉', '榮譽', 'Honours'],
  'field.horizon': ['目标年份', '目標年份', 'Horizon'],
  'field.trl': ['技术成熟度（TRL）', '技術成熟度（TRL）', 'Technology readiness (TRL)'],
  'field.year': ['年份', '年份', 'Year'],
  'field.chain_position': ['产业链环节', '產業鏈環節', 'Position in the chain'],
  'field.cooperation': ['合作方式', '合作方式', 'Cooperation'],
  'field.budget': ['预算', '預算', 'Budget'],
  'field.status': ['状态', '狀態', 'Status'],
  'field.expires_at': ['有效期至', '有效期至', 'Open until'],
  'field.created_at': ['发布时间', '發佈日期', 'Posted'],
  'field.updated_at': ['更新时间', '更新日期', 'Updated'],
  'field.last_confirmed_at': ['最近确认', '最近確認', 'Last confirmed'],
  'field.owner': ['发布机构', '發佈機構', 'Posted by'],
  'field.ip_status': ['知识产权', '知識產權', 'Intellectual property'],
  'field.benefit': ['预期效益', '預期效益', 'Expected benefit'],
  'field.contact': ['联系方式（仅发布机构可见）', '聯絡方式（只限發佈機構查看）', 'Contact (visible to the owner only)'],

  'budget.range': ['{min} – {max}', '{min} – {max}', '{min} – {max}'],
  'budget.min': ['不低于 {min}', '不少於 {min}', 'from {min}'],
  'budget.max': ['不超过 {max}', '不多於 {max}', 'up to {max}'],

  'token.title': ['机构令牌', '機構權杖', 'Organisation token'],
  'token.label': ['令牌', '權杖', 'Token'],
  'token.help': ['发布、修改供需信息和表达合作意向，需要平台为贵机构签发的令牌（一串以 gba_ 开头的字符）。如贵机构还没有令牌，请联系平台管理员（贵机构的技术转移或对外合作部门通常已有）。令牌只保存在本浏览器中。', '發佈、修改供求資訊及表達合作意向，需要平台為貴機構簽發的權杖（一串以 gba_ 開頭的字元）。如貴機構仍未有權杖，請聯絡平台管理員（貴機構的技術轉移或對外合作部門通常已有）。權杖只會儲存在此瀏覽器。', 'Posting or changing listings and expressing interest need a token the platform issued to your organisation (a string starting with gba_). If your organisation has none yet, ask the platform’s administrator (your technology-transfer or partnerships office may already have one). It is kept in this browser only.'],
  'token.remember': ['在此设备上记住', '在此裝置上記住', 'Remember on this device'],
  'token.save': ['使用此令牌', '使用此權杖', 'Use this token'],
  'token.forget': ['忘记令牌', '忘記權杖', 'Forget token'],
  'token.none': ['尚未设置令牌。', '尚未設定權杖。', 'No token is set.'],
  'token.session': ['已设置令牌（尾号 {tail}），仅在本次浏览期间有效。', '已設定權杖（尾碼 {tail}），只在今次瀏覽期間有效。', 'A token ending in {tail} is set for this browsing session.'],
  'token.remembered': ['已设置令牌（尾号 {tail}），已在此设备上记住。', '已設定權杖（尾碼 {tail}），已在此裝置上記住。', 'A token ending in {tail} is set and remembered on this device.'],
  'token.saved': ['令牌已保存。', '權杖已儲存。', 'Token saved.'],
  'token.forgotten': ['令牌已删除。', '權杖已刪除。', 'Token removed.'],
  'token.empty': ['请先粘贴令牌。', '請先貼上權杖。', 'Paste a token first.'],
  'token.show': ['显示', '顯示', 'Show'],
  'token.hide': ['隐藏', '隱藏', 'Hide'],

  'form.title_new': ['发布技术供需', '發佈技術供求', 'Post a technology offer or need'],
  'form.title_edit': ['修改供需信息', '修改供求資訊', 'Edit listing'],
  'form.intro': ['带 * 的为必填项。描述越具体，越容易匹配到合适的合作方。', '標有 * 的為必填項目。描述愈具體，愈容易配對到合適的合作方。', 'Fields marked * are required. The more specific the description, the better the matches.'],
  'form.kind': ['类型', '類型', 'Type'],
  'form.kind_supply': ['技术供给——我们可以提供', '技術供應——我們可以提供', 'Supply — we offer a technology'],
  'form.kind_demand': ['技术需求——我们正在寻找', '技術需求——我們正在尋找', 'Demand — we need a solution'],
  'form.title': ['标题', '標題', 'Title'],
  'form.name_en': ['英文标题', '英文標題', 'English title'],
  'form.description': ['描述（至少 30 字）', '描述（最少 30 字）', 'Description (at least 30 characters)'],
  'form.description_hint': ['说明技术能做什么，或需要解决什么问题、有什么指标要求。', '說明技術的用途，或需要解決的問題及指標要求。', 'What the technology does, or which problem must be solved and to what specification.'],
  'form.description_en': ['英文描述', '英文描述', 'English description'],
  'form.optional': ['（选填）', '（選填）', ' (optional)'],
  'form.clusters': ['产业集群', '產業集群', 'Industry clusters'],
  'form.clusters_hint': ['至少选择一个产业集群，或在下面填写一个技术领域。', '最少選擇一個產業集群，或在下面填寫一個技術領域。', 'Choose at least one cluster, or give at least one technology field below.'],
  'form.fields': ['技术领域', '技術領域', 'Technology fields'],
  'form.fields_hint': ['用逗号分隔，如：氮化镓, 快充, 功率器件', '以逗號分隔，例如：氮化鎵, 快充, 功率器件', 'Separate with commas, e.g. GaN, fast charging, power devices'],
  'form.cooperation': ['合作方式', '合作方式', 'Cooperation'],
  'form.trl': ['技术成熟度（TRL）', '技術成熟度（TRL）', 'Technology readiness level (TRL)'],
  'form.trl_none': ['不指定', '不指定', 'Not specified'],
  'form.budget': ['预算（人民币元）', '預算（人民幣元）', 'Budget (CNY)'],
  'form.budget_min': ['最低', '最低', 'Minimum'],
  'form.budget_max': ['最高', '最高', 'Maximum'],
  'form.city': ['城市', '城市', 'City'],
  'form.city_default': ['默认：本机构所在城市', '預設：本機構所在城市', 'Default: your organisation’s city'],
  'form.expires_at': ['截止日期', '截止日期', 'Open until'],
  'form.expires_hint': ['不填则默认 180 天后到期；到期前可以续期。', '不填寫則預設 180 日後到期；到期前可以續期。', 'Leave empty for 180 days; you can renew before it expires.'],
  'form.contact': ['联系方式', '聯絡方式', 'Contact'],
  'form.contact_hint': ['只有贵机构和管理员可以看到；有意合作的机构会通过平台联系您。', '只有貴機構及管理員可以看到；有意合作的機構會經平台聯絡閣下。', 'Only your organisation and moderators see this; interested parties reach you through the platform.'],
  'form.contact_name': ['联系人', '聯絡人', 'Name'],
  'form.contact_email': ['电子邮箱', '電郵地址', 'Email'],
  'form.contact_phone': ['电话', '電話', 'Phone'],
  'form.more': ['补充信息', '補充資料', 'More details'],
  'form.ip_status': ['知识产权状况', '知識產權狀況', 'Intellectual property status'],
  'form.benefit': ['预期效益', '預期效益', 'Expected benefit'],
  'form.status': ['状态', '狀態', 'Status'],
  'form.submit_new': ['发布', '發佈', 'Publish'],
  'form.submit_edit': ['保存修改', '儲存修改', 'Save changes'],
  'form.cancel': ['取消', '取消', 'Cancel'],
  'form.submitting': ['正在提交…', '正在提交…', 'Submitting…'],
  'form.invalid': ['有 {n} 处需要修改，请查看标出的字段。', '有 {n} 處需要修改，請查看已標示的欄位。', '{n} fields need attention; see the marked fields.'],
  'form.invalid_one': ['有 1 处需要修改，请查看标出的字段。', '有 1 處需要修改，請查看已標示的欄位。', 'One field needs attention; see the marked field.'],
  'colon': ['：', '：', ': '],
  'form.need_token': ['发布需要机构令牌：请在本页的“机构令牌”框中粘贴令牌（宽屏在表单右侧，手机在表单下方）。', '發佈需要機構權杖：請在本頁的「機構權杖」框貼上權杖（闊屏在表格右方，手機在表格下方）。', 'Posting needs an organisation token: paste it in the “Organisation token” box on this page (beside the form on a wide screen, below it on a phone).'],
  'form.loading_listing': ['正在加载供需信息…', '正在載入供求資訊…', 'Loading the listing…'],
  'form.withdrawn': ['这条信息已撤回，不能再修改。', '這項資訊已撤回，不能再修改。', 'This listing was withdrawn and can no longer be changed.'],
  'form.required': ['必填', '必填', 'required'],

  'actions.title': ['管理这条信息', '管理這項資訊', 'Manage this listing'],
  'actions.owner': ['您的令牌属于发布机构，可以修改、续期或撤回这条信息。', '閣下的權杖屬於發佈機構，可以修改、續期或撤回這項資訊。', 'Your token belongs to the owner: you can edit, renew or withdraw this listing.'],
  'actions.not_owner': ['您的令牌不属于发布机构；以下操作会被拒绝。', '閣下的權杖不屬於發佈機構；以下操作會被拒絕。', 'Your token does not belong to the owner; these actions will be refused.'],
  'actions.edit': ['修改', '修改', 'Edit'],
  'actions.renew': ['续期（确认仍然有效）', '續期（確認仍然有效）', 'Renew (confirm still current)'],
  'actions.withdraw': ['撤回', '撤回', 'Withdraw'],
  'actions.withdraw_confirm': ['确定撤回这条信息吗？撤回后它将不再出现在检索中，且无法恢复。', '確定撤回這項資訊嗎？撤回後它不會再出現在搜尋結果中，並且無法恢復。', 'Withdraw this listing? It will leave search for good and cannot be restored.'],
  'actions.renewed': ['已续期，有效期至 {d}。', '已續期，有效期至 {d}。', 'Renewed: open until {d}.'],
  'actions.withdrawn': ['已撤回这条信息。', '已撤回這項資訊。', 'The listing was withdrawn.'],
  'actions.saved': ['已保存修改。', '已儲存修改。', 'Changes saved.'],
  'actions.posted': ['已发布。下面是系统为您找到的匹配合作方。', '已發佈。以下是系統為閣下找到的配對合作方。', 'Published. Below are the counterparts found for it.'],
  'actions.working': ['正在处理…', '處理中…', 'Working…'],

  'interest.title': ['表达合作意向', '表達合作意向', 'Express interest'],
  'interest.intro': ['留言和联系方式会转交给发布机构。需要机构令牌。', '留言及聯絡方式會轉交發佈機構。需要機構權杖。', 'Your message and contact go to the listing’s owner. Needs an organisation token.'],
  'interest.intro_entity': ['留言和联系方式会转交给这家机构。需要机构令牌。', '留言及聯絡方式會轉交這家機構。需要機構權杖。', 'Your message and contact go to this organisation. Needs an organisation token.'],
  'interest.intro_talent': ['留言和联系方式会转交给这位专家所在的机构，由机构转达。需要机构令牌。', '留言及聯絡方式會轉交這位專家所屬的機構，由機構轉達。需要機構權杖。', 'Your message and contact go to the expert’s organisation, which passes them on. Needs an organisation token.'],
  'interest.sent_entity': ['已发送，这家机构会收到您的留言和联系方式。', '已發送，這家機構會收到閣下的留言及聯絡方式。', 'Sent: the organisation will receive your message and contact.'],
  'interest.sent_talent': ['已发送，专家所在的机构会收到您的留言和联系方式并转达。', '已發送，專家所屬的機構會收到閣下的留言及聯絡方式並轉達。', 'Sent: the expert’s organisation will receive your message and contact and pass them on.'],
  'interest.message': ['留言', '留言', 'Message'],
  'interest.contact_name': ['联系人', '聯絡人', 'Contact name'],
  'interest.contact_email': ['电子邮箱', '電郵地址', 'Contact email'],
  'interest.submit': ['发送合作意向', '發送合作意向', 'Send'],
  'interest.sent': ['已发送，发布机构会收到您的留言和联系方式。', '已發送，發佈機構會收到閣下的留言及聯絡方式。', 'Sent: the owner will receive your message and contact.'],
  'interest.need_token': ['发送前请先在“机构令牌”中填写令牌。', '發送前請先在「機構權杖」填寫權杖。', 'Enter your organisation token under “Organisation token” before sending.'],
  'interest.list': ['收到的合作意向', '收到的合作意向', 'Interest received'],
  'interest.none': ['暂时还没有机构表达合作意向。', '暫時未有機構表達合作意向。', 'No one has expressed interest yet.'],
  'interest.from': ['来自', '來自', 'From'],
  'interest.closed': ['这条信息已撤回，不再接受合作意向。', '這項資訊已撤回，不再接受合作意向。', 'This listing was withdrawn and no longer takes expressions of interest.'],

  'board.title': ['供需广场', '供求平台', 'Listings board'],
  'board.intro': ['大湾区最新的技术供给与技术需求。可以按城市和产业集群浏览，也可以直接描述需求，找到匹配的合作方。', '大灣區最新的技術供應及技術需求。可按城市及產業集群瀏覽，亦可直接描述需求，找出配對的合作方。', 'The newest technology offers and needs of the Greater Bay Area. Browse by city and cluster, or describe a need to find counterparts.'],
  'board.supply': ['最新技术供给', '最新技術供應', 'Newest offers'],
  'board.demand': ['最新技术需求', '最新技術需求', 'Newest needs'],
  'board.all': ['全部', '全部', 'All'],
  'board.see_all': ['查看全部 {n} 条', '查看全部 {n} 項', 'See all {n}'],
  'board.match_title': ['描述需求或成果，找合作方', '描述需求或成果，尋找合作方', 'Describe a need or an offer, find counterparts'],
  'board.match_label': ['您的需求或成果', '閣下的需求或成果', 'Your need or offer'],
  'board.match_kind': ['这是', '這是', 'This is'],
  'board.match_kind_demand': ['技术需求（找供给方）', '技術需求（尋找供應方）', 'A need (find offers)'],
  'board.match_kind_supply': ['技术成果（找需求方）', '技術成果（尋找需求方）', 'An offer (find needs)'],
  'board.match_placeholder': ['如：我们想找做锂电池热管理的高校团队', '例如：我們想找研究鋰電池熱管理的大學團隊', 'e.g. a university team working on battery thermal management'],
  'board.match_submit': ['查找匹配', '尋找配對', 'Find matches'],
  'board.apply': ['应用', '套用', 'Apply'],
  'board.pairs_title': ['自动配对', '自動配對', 'Matched pairs'],
  'board.pairs_intro': ['系统为每条供需信息找到的最佳对口方（匹配度 60% 以上），最新的在前，附匹配理由。', '系統為每項供求資訊找到的最佳對口方（配對度 60% 以上），最新的在前，並附配對理由。', 'The best supply ↔ demand counterparts the service found for each listing (match score 60% or more), newest first, with the reasons.'],
  'board.cross_border': ['只看跨境配对（港澳 ↔ 广东）', '只看跨境配對（港澳 ↔ 廣東）', 'Cross-border pairs only (Hong Kong / Macau ↔ Guangdong)'],
  'board.cross_badge': ['跨境', '跨境', 'Cross-border'],
  'board.pairs_total': ['共 {n} 对', '共 {n} 對', '{n} pairs'],
  'board.no_pairs': ['没有符合条件的配对。', '沒有符合條件的配對。', 'No pairs match these filters.'],
  'board.paired': ['配对于 {d}', '配對於 {d}', 'paired {d}'],
  'board.feed': ['订阅这些配对（Atom）', '訂閱這些配對（Atom）', 'Subscribe to these pairs (Atom feed)'],
  'board.latest': ['最新发布', '最新發佈', 'Newest listings'],
  'board.by': ['发布机构：{name}', '發佈機構：{name}', 'by {name}'],
  'board.post_cta': ['有技术要转化，或有难题要解决？', '有技術要轉化，或有難題要解決？', 'Have a technology to offer or a problem to solve?'],

  'overview.title': ['数据概览', '資料概覽', 'Overview'],
  'overview.intro': ['大湾区 11 座城市的创新资源分布（按默认检索可见的记录统计：开放中的供需信息，以及全部其他记录）。', '大灣區 11 個城市的創新資源分佈（按預設搜尋可見的記錄統計：開放中的供求資訊，以及全部其他記錄）。', 'How the innovation resources spread over the 11 cities (counting what default search shows: open listings and all other records).'],
  'overview.show': ['统计范围', '統計範圍', 'Count'],
  'overview.all': ['全部资源', '全部資源', 'All resources'],
  'overview.total': ['合计', '合計', 'Total'],
  'overview.map_title': ['各城市{what}数量', '各城市{what}數量', '{what} by city'],
  'overview.map_caption': ['示意图：圆圈面积与记录数成正比，位置按珠江口两岸的大致地理方位排列。点击城市可查看该城市的检索结果。', '示意圖：圓圈面積與記錄數成正比，位置按珠江口兩岸的大致地理方位排列。按城市可查看該城市的搜尋結果。', 'Schematic map: circle area is proportional to the number of records; cities sit roughly where they are around the Pearl River estuary. Select a city to search its records.'],
  'overview.map_aria': ['大湾区城市示意图，{what}数量：{list}', '大灣區城市示意圖，{what}數量：{list}', 'Schematic map of the Greater Bay Area cities, {what}: {list}'],
  'overview.bar_title': ['各城市{what}的产业集群构成', '各城市{what}的產業集群構成', '{what} by city and industry cluster'],
  'overview.bar_caption': ['堆叠条形图：每条代表一座城市，各段为产业集群。一条记录可属于多个集群，因此各段之和可能大于该城市的记录数。', '堆疊棒形圖：每條代表一個城市，各段為產業集群。一項記錄可屬於多個集群，因此各段總和或會大於該城市的記錄數。', 'Stacked bars: one bar per city, one segment per industry cluster. A record can belong to several clusters, so the segments may add up to more than the city’s record count.'],
  'overview.bar_aria': ['各城市按产业集群的{what}数量堆叠条形图。最多的是：{list}', '各城市按產業集群的{what}數量堆疊棒形圖。最多的是：{list}', 'Stacked bar chart of {what} per city by industry cluster. Largest: {list}'],
  'overview.city': ['城市', '城市', 'City'],
  'overview.records': ['记录数', '記錄數', 'Records'],
  'overview.no_city': ['未注明城市', '未註明城市', 'No city given'],
  'overview.no_cluster': ['未注明集群', '未註明集群', 'No cluster given'],
  'overview.table_scroll': ['数据表（可左右滚动）', '資料表（可左右捲動）', 'Data table (scrolls sideways)'],
  'overview.legend': ['图例', '圖例', 'Legend'],
  'overview.by_collection': ['各类资源总数', '各類資源總數', 'Records by type'],
  'overview.sea': ['南海', '南海', 'South China Sea'],
  'overview.estuary': ['珠江口', '珠江口', 'Pearl River estuary'],

  'footer.api': ['开放接口（OpenAPI）', '開放介面（OpenAPI）', 'Open API (OpenAPI description)'],
  'footer.data': ['数据为项目附带的示例数据：机构为大湾区真实机构，描述据公开资料整理；人才均为虚构人物；供需信息为虚构示例。', '資料為項目附帶的示例資料：機構為大灣區真實機構，描述據公開資料整理；人才均為虛構人物；供求資訊為虛構示例。', 'Bundled sample data: the organisations are real Greater Bay Area organisations described from public sources; the experts are fictional people; the listings are invented examples.'],
  'footer.health': ['服务状态', '服務狀態', 'Service status'],
  'footer.about': ['关于本服务', '關於本服務', 'About this service'],
};

// Code tables: code → [zh-Hans, zh-Hant, en]. Cities, clusters, kinds and cooperation modes come
// from codes.js, generated from the server's own tables; the rest are the interface's.



export const COLLECTIONS = {
  entities: ['创新主体', '創新主體', 'Innovation entities'],
  talents: ['高端人才', '高端人才', 'Talents'],
  listings: ['供需信息', '供求資訊', 'Supply & demand'],
  roadmaps: ['技术路线图', '技術路線圖', 'Technology roadmaps'],
  industries: ['产业发展', '產業發展', 'Industries'],
};

/** Singular names of one record of a collection (for badges and sentences). */
export const COLLECTION_ONE = {
  entities: ['创新主体', '創新主體', 'Entity'],
  talents: ['人才', '人才', 'Talent'],
  listings: ['供需信息', '供求資訊', 'Listing'],
  roadmaps: ['技术路线图', '技術路線圖', 'Roadmap'],
  industries: ['产业', '產業', 'Industry'],
};


export const CHAIN = {
  upstream: ['上游', '上游', 'Upstream'],
  midstream: ['中游', '中游', 'Midstream'],
  downstream: ['下游', '下游', 'Downstream'],
};

export const TRL = {
  1: ['基本原理', '基本原理', 'basic principles observed'],
  2: ['技术概念形成', '技術概念形成', 'technology concept formulated'],
  3: ['概念验证', '概念驗證', 'proof of concept'],
  4: ['实验室验证', '實驗室驗證', 'validated in the lab'],
  5: ['相关环境验证', '相關環境驗證', 'validated in a relevant environment'],
  6: ['相关环境演示', '相關環境示範', 'demonstrated in a relevant environment'],
  7: ['实际环境原型', '實際環境原型', 'prototype in an operational environment'],
  8: ['系统完成并验证', '系統完成並驗證', 'system complete and qualified'],
  9: ['实际运行验证', '實際運作驗證', 'proven in operation'],
};

export const INDICATORS = {
  target_output_value_cny_100m: ['目标产值（亿元人民币）', '目標產值（億元人民幣）', 'Target output value (CNY 100 million)'],
  output_value_cny_100m: ['产值（亿元人民币）', '產值（億元人民幣）', 'Output value (CNY 100 million)'],
  target_revenue_cny_100m: ['目标营收（亿元人民币）', '目標營業額（億元人民幣）', 'Target revenue (CNY 100 million)'],
  revenue_cny_100m: ['营收（亿元人民币）', '營業額（億元人民幣）', 'Revenue (CNY 100 million)'],
  enterprises: ['企业数量', '企業數目', 'Enterprises'],
  employees: ['从业人数', '從業人數', 'Employees'],
};

/** Per-field explanations of the API's 422 messages, shown beside its (English) message. */
export const FIELD_ERRORS = {
  kind: ['请选择“技术供给”或“技术需求”。', '請選擇「技術供應」或「技術需求」。', 'Choose supply or demand.'],
  title: ['请填写标题（不超过 200 字）。', '請填寫標題（不多於 200 字）。', 'Give a title (at most 200 characters).'],
  name: ['请填写标题（不超过 200 字）。', '請填寫標題（不多於 200 字）。', 'Give a title (at most 200 characters).'],
  description: ['描述至少 30 字：说明技术能做什么，或需要解决什么问题。', '描述最少 30 字：說明技術的用途，或需要解決的問題。', 'At least 30 characters: what the technology does or which problem must be solved.'],
  cooperation: ['请至少选择一种合作方式。', '請最少選擇一種合作方式。', 'Choose at least one cooperation mode.'],
  clusters: ['请至少选择一个产业集群，或填写一个技术领域。', '請最少選擇一個產業集群，或填寫一個技術領域。', 'Choose a cluster or give a technology field.'],
  fields: ['技术领域最多 50 个，每个不超过 100 字。', '技術領域最多 50 個，每個不多於 100 字。', 'At most 50 fields of at most 100 characters each.'],
  trl: ['技术成熟度须为 1 至 9 的整数。', '技術成熟度須為 1 至 9 的整數。', 'A whole number from 1 to 9.'],
  budget_cny: ['预算须为非负数，且最低不能高于最高。', '預算須為非負數，而最低不可高於最高。', 'Non-negative numbers, minimum not above maximum.'],
  city: ['请选择大湾区的一座城市。', '請選擇大灣區其中一個城市。', 'Choose one of the Bay Area cities.'],
  expires_at: ['截止日期须晚于今天。', '截止日期須遲於今天。', 'The date must be in the future.'],
  contact: ['联系方式格式有误。', '聯絡方式格式有誤。', 'The contact is not valid.'],
  name_en: ['英文标题过长。', '英文標題過長。', 'The English title is too long.'],
  description_en: ['英文描述过长。', '英文描述過長。', 'The English description is too long.'],
  message: ['请填写留言（1 至 2000 字）。', '請填寫留言（1 至 2000 字）。', 'Write a message (1 to 2,000 characters).'],
  status: ['状态只能是开放或关闭。', '狀態只可以是開放或關閉。', 'Status must be open or closed.'],
};

/** Example queries, one per script, for the hero and the empty state. */
export const EXAMPLES = [
  { q: '机器人', lang: 'zh-Hans' },
  { q: '資訊科技', lang: 'zh-Hant' },
  { q: 'lithium battery', lang: 'en' },
  { q: '港科大', lang: 'zh-Hant' },
  { q: '軟件', lang: 'zh-Hant' },
  { q: '新能源汽车', lang: 'zh-Hans' },
  { q: 'gallium nitride', lang: 'en' },
];

let current = 'zh-Hans';

/** The language chosen for this page view. */
export function lang() {
  return current;
}

export function setCurrentLang(l) {
  if (LANGS.includes(l)) current = l;
}

/** Normalises a language tag to one of LANGS, or null. */
export function normalizeLang(tag) {
  if (!tag) return null;
  const t = String(tag).trim();
  if (LANGS.includes(t)) return t;
  const low = t.toLowerCase().replace(/_/g, '-');
  if (low === 'en' || low.startsWith('en-')) return 'en';
  if (low === 'zh' || low.startsWith('zh-')) {
    if (/(^|-)hant($|-)/.test(low) || /(^|-)(hk|tw|mo)($|-)/.test(low)) return 'zh-Hant';
    return 'zh-Hans';
  }
  return null;
}

/** The browser's preferred interface language: the first entry of navigator.languages. */
export function browserLang() {
  const list = (navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || 'en']);
  const first = list[0] || 'en';
  const low = String(first).toLowerCase();
  if (low === 'zh' || low.startsWith('zh-') || low.startsWith('zh_')) return normalizeLang(low);
  return 'en';
}

/** Translates `key`, replacing {name} placeholders from `vars`. */
export function t(key, vars) {
  const entry = S[key];
  let text = entry ? entry[IDX[current]] : key;
  if (vars) {
    text = text.replace(/\{(\w+)\}/g, (m, k) => (k in vars ? String(vars[k]) : m));
  }
  return text;
}

/**
 * Like t(), but returns an array of strings and nodes: each {name} placeholder is replaced by
 * the node (or string) given in `parts` — for sentences that contain an element.
 */
export function tParts(key, parts) {
  const text = t(key);
  const out = [];
  let last = 0;
  text.replace(/\{(\w+)\}/g, (m, k, offset) => {
    if (offset > last) out.push(text.slice(last, offset));
    out.push(k in parts ? parts[k] : m);
    last = offset + m.length;
    return m;
  });
  if (last < text.length) out.push(text.slice(last));
  return out;
}

function fromTable(table, code) {
  const e = table[code];
  return e ? e[IDX[current]] : null;
}

// The UI's own message for each error code of the API (src/http/error_code.rs; a test checks
// that every code has one): the page speaks one language, whatever the API's English message.
export const ERROR_CODES = {
  bad_request: ['请求无法读取，请刷新页面后重试。', '無法讀取請求，請重新整理頁面後再試。', 'The request could not be read; reload the page and try again.'],
  invalid_parameter: ['参数有误，请检查筛选条件后重试。', '參數有誤，請檢查篩選條件後再試。', 'A parameter is not valid; check the filters and try again.'],
  invalid_query_string: ['链接中的参数无法解析，请从首页重新检索。', '連結中的參數無法解析，請由首頁重新搜尋。', 'The link’s parameters cannot be read; search again from the home page.'],
  query_too_long: ['检索内容过长（最多 1000 字），请精简描述。', '搜尋內容過長（最多 1000 字），請精簡描述。', 'The search is too long (1,000 characters at most); shorten it.'],
  unknown_collection: ['没有这个资源类别。', '沒有這個資源類別。', 'There is no such kind of record.'],
  page_too_deep: ['只能翻看前 10000 条结果，请增加关键词或筛选条件。', '只可瀏覽首 10000 項結果，請加入關鍵詞或篩選條件。', 'Only the first 10,000 results can be paged through; add words or filters.'],
  invalid_json: ['提交的内容格式有误，请刷新页面后重试。', '提交的內容格式有誤，請重新整理頁面後再試。', 'What was sent is not in the expected form; reload the page and try again.'],
  invalid_owner: ['机构编号无效。', '機構編號無效。', 'The organisation id is not valid.'],
  own_listing: ['不能对本机构、本机构的专家或发布的信息表达合作意向。', '不能對本機構、本機構的專家或發佈的資訊表達合作意向。', 'An organisation cannot express interest in its own listing, in itself or in its own experts.'],
  unauthorized: ['机构令牌缺失或无效：请在“机构令牌”中填写平台签发的有效令牌。', '機構權杖缺失或無效：請在「機構權杖」填寫平台簽發的有效權杖。', 'Your organisation token is missing or not valid: enter a valid token under “Organisation token”.'],
  forbidden: ['该令牌所属机构无权进行此操作（只有发布机构和管理员可以）。', '此權杖所屬機構無權進行此操作（只限發佈機構及管理員）。', 'This token’s organisation may not do this (only the owner and moderators can).'],
  not_found: ['找不到该记录，可能已被删除。', '找不到該記錄，可能已被刪除。', 'That record was not found; it may have been removed.'],
  method_not_allowed: ['不支持该操作。', '不支援此操作。', 'That action is not supported.'],
  timeout: ['请求超时，请稍后重试。', '請求逾時，請稍後再試。', 'The request took too long; try again shortly.'],
  conflict: ['操作被拒绝：该信息已撤回或已达上限。', '操作被拒絕：該資訊已撤回或已達上限。', 'Refused: the listing was withdrawn or a limit was reached.'],
  payload_too_large: ['提交的内容过大（上限 1 MB）。', '提交的內容過大（上限 1 MB）。', 'What was sent is too large (1 MB at most).'],
  unsupported_media_type: ['提交的内容格式不受支持。', '提交的內容格式不受支援。', 'That content type is not accepted.'],
  invalid_fields: ['部分字段有误，请按提示修改。', '部分欄位有誤，請按提示修改。', 'Some fields need correcting; see the notes beside them.'],
  rate_limited: ['操作过于频繁，请稍后再试。', '操作過於頻繁，請稍後再試。', 'Too many attempts; wait a moment and try again.'],
  internal: ['服务器内部出错，已记录，请稍后重试。', '伺服器內部出錯，已作記錄，請稍後再試。', 'The server had a fault (logged); try again shortly.'],
  unavailable: ['服务器繁忙，请稍后重试。', '伺服器繁忙，請稍後再試。', 'The server is busy; try again shortly.'],
  insufficient_storage: ['服务器暂时无法保存，内容未被保存，请稍后重试。', '伺服器暫時無法儲存，內容未有儲存，請稍後再試。', 'The server cannot store anything right now; nothing was saved. Try again later.'],
};

/** The UI's message for an API error code, or null for a code it does not know. */
export function errorCodeText(code) {
  return fromTable(ERROR_CODES, code);
}

/** Label of a code of a dimension: collection(s), city, cluster, kind, cooperation, chain. */
export function label(dim, code, serverLabels) {
  const tables = {
    collection: COLLECTIONS, collections: COLLECTIONS, city: CITIES, cluster: CLUSTERS, clusters: CLUSTERS,
    kind: KINDS, cooperation: COOPERATION, chain_position: CHAIN, indicator: INDICATORS,
  };
  const table = tables[dim];
  const own = table ? fromTable(table, code) : null;
  if (own) return own;
  if (serverLabels && serverLabels[code]) return serverLabels[code];
  if (dim === 'indicator') return String(code).replace(/_/g, ' ');
  return String(code);
}

export function collectionOne(code) {
  return fromTable(COLLECTION_ONE, code) || code;
}

export function trlLabel(n) {
  return fromTable(TRL, n) || '';
}

export function fieldError(field) {
  return fromTable(FIELD_ERRORS, field);
}

/** Locale for Intl number formatting. */
export function numberLocale() {
  return { 'zh-Hans': 'zh-CN', 'zh-Hant': 'zh-HK', en: 'en-GB' }[current];
}

export function formatNumber(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return String(n);
  return new Intl.NumberFormat(numberLocale(), { maximumFractionDigits: 2 }).format(n);
}

/** An amount in CNY: 万/萬 and 亿/億 in Chinese, "CNY 1.5 million" in English. */
export function formatCny(n) {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '';
  const fmt = (x) => new Intl.NumberFormat(numberLocale(), { maximumFractionDigits: 2 }).format(x);
  if (current === 'en') {
    if (n >= 1e9) return `CNY ${fmt(n / 1e9)} billion`;
    if (n >= 1e6) return `CNY ${fmt(n / 1e6)} million`;
    return `CNY ${fmt(n)}`;
  }
  const hant = current === 'zh-Hant';
  if (n >= 1e8) return `${fmt(n / 1e8)} ${hant ? '億元' : '亿元'}`;
  if (n >= 1e4) return `${fmt(n / 1e4)} ${hant ? '萬元' : '万元'}`;
  return `${fmt(n)} 元`;
}

/** A list joined in the reading language. */
export function joinList(items) {
  return items.join(current === 'en' ? ', ' : '、');
}
