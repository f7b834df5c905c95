/** Strings of the quick-hands pieces (all pass, remembered numbers, next device, missing list,
 *  sign-out counts, photo reuse, language toggle); registered by i18n.js. */
export const QUICK_DICTS = {
  'zh-CN': {
    all_pass: '全部正常', all_pass_hint: '未作答的检查项全部设为正常；照片必填项仍需拍照。',
    remembered_value: '上次数值', next_device: '下一台未检设备：{name} {tag}', next_scan: '扫码检查下一台',
    visit_all_done: '本次巡检的设备已全部检查。', missing_list: '未检设备（点击查看）',
    logout_refused_parts: '还有 {records} 条记录、{photos} 张照片未发送，不能退出登录。请先同步。',
    outbox_unsent: '未发送', outbox_sent: '已发送（服务器已确认）',
    photo_reused: '这张照片已作为其他设备的凭证：{tags}。请确认不是误用同一张照片。',
    lang_current: '当前语言：{lang}',
  },
  en: {
    all_pass: 'All OK', all_pass_hint: 'Sets every unanswered check to OK; photo-required items still need a photo.',
    remembered_value: 'Last value', next_device: 'Next device not yet inspected: {name} {tag}', next_scan: 'Scan the next one',
    visit_all_done: 'Every device of this visit is inspected.', missing_list: 'Devices not inspected (tap to open)',
    logout_refused_parts: '{records} records and {photos} photos are not sent yet; sign-out refused. Sync first.',
    outbox_unsent: 'Not sent', outbox_sent: 'Sent (acknowledged by the server)',
    photo_reused: 'This photo is already evidence for another device: {tags}. Make sure it is not the same photo reused by mistake.',
    lang_current: 'Language: {lang}',
  },
};
