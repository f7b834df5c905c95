/** Strings every page shares: sign-in, language, the office top bar. */
export const COMMON = {
  'zh-CN': {
    app_name: '巡检', loading: '加载中…', username: '用户名', password: '密码', login: '登录', signin: '登录',
    logout: '退出登录', logout_all: '退出所有设备', language: '语言', yes: '是', no: '否', none: '无',
    nav_dashboard: '工作台', nav_coverage: '巡检覆盖', nav_faults: '故障与备件', nav_labels: '标签打印', nav_assessment: '服务考核', nav_reports: '报告', nav_handover: '移交资料', nav_devices: '设备', nav_registry: '登记', nav_people: '人员与密码', nav_desk: '故障受理', nav_audit: '审计日志', nav_meetings: '会议保障', nav_review: '审核队列', nav_reminders: '提醒', nav_fileimport: '导入手机文件', label_owner: '资产所属：{owner}', label_support: '运维热线：{phone}', nav_field: '巡检手机端', nav_main: '主导航', nav_office: '办公页面',
    other_language: 'English', login_wrong: '用户名或密码不对。', presence_far: '距站点过远 {km} 公里',
  },
  en: {
    presence_far: 'far from the site: {km} km',
    app_name: 'Xunjian', loading: 'Loading…', username: 'Username', password: 'Password', login: 'Sign in', signin: 'Sign in',
    logout: 'Sign out', logout_all: 'Sign out everywhere', language: 'Language', yes: 'yes', no: 'no', none: 'None',
    nav_dashboard: 'Dashboard', nav_coverage: 'Coverage', nav_faults: 'Faults and spares', nav_labels: 'Labels', nav_assessment: 'Assessment', nav_reports: 'Reports', nav_handover: 'Handover', nav_devices: 'Devices', nav_registry: 'Registry', nav_people: 'People', nav_desk: 'Fault desk', nav_audit: 'Audit log', nav_meetings: 'Meetings', nav_review: 'Review queue', nav_reminders: 'Reminders', nav_fileimport: 'Phone files', label_owner: 'Owner: {owner}', label_support: 'Support: {phone}', nav_field: 'Field app', nav_main: 'Main', nav_office: 'Office pages',
    other_language: '中文', login_wrong: 'Wrong username or password.',
  },
};
