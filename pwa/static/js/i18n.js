/** The field app's strings (Simplified Chinese default, English); t(), the language and the enum
 *  labels are the core's (pwa/static/core/), shared with the office pages. */
// The core's dictionaries the phone shows (core/index.js registers all of them for the office
// pages; the reminders' words are office-only): fewer modules in the field app's boot graph.
import {register} from '../core/i18n.js';
import {COMMON} from '../core/dict/common.js';
import {ENUMS} from '../core/dict/enums.js';
import {ERRORS} from '../core/dict/errors.js';
import {REASONS} from '../core/dict/reasons.js';
import {PASSWORD} from '../core/dict/password.js';
import {MEETINGS, MEETING_ERRORS, MEETING_ENUMS} from '../core/dict/meetings.js';
import {SYNC} from '../core/dict/sync.js';
import {FAULT_DICTS} from './i18n-faults.js';
import {QUICK_DICTS} from './i18n-quick.js';

const FIELD = {
  'zh-CN': {
    online: '在线', offline: '离线',
    update_available: '新版本可用 — 点击更新',
    tab_today: '今日', tab_scan: '扫码', tab_outbox: '待发送', tab_settings: '设置',
    login_title: '登录', remember: '保持登录',     login_failed: '登录失败：{msg}', login_locked: '登录失败次数过多，请稍后再试或联系管理员。（{msg}）', login_offline: '没有网络，无法登录。已记录的数据仍保存在本机。',
    session_expired: '登录已过期，请重新登录。未发送的记录仍保存在本机。',
    today_title: '今日任务', planned_visits: '计划巡检', no_plans: '今天没有计划巡检。',
    start_visit: '开始巡检', continue_visit: '继续巡检', active_visit: '进行中的巡检',
    start_visit_here: '在此开始巡检', plan_due: '截止 {date}', plan_visited: '已巡检', label_replaced: '此标签已更换；该设备现在的标签是 {tag}。',
    outbox_state: '记录状态',     storage: '存储', storage_usage: '已用 {used} / 可用 {quota}', storage_persisted: '已开启持久存储',
    storage_not_persisted: '未开启持久存储：浏览器可能清除数据', request_persist: '开启持久存储',
    install_hint: '请把本应用"添加到主屏幕"，离线数据更安全。',
    last_sync: '上次同步：{time}', never: '从未', sync_now: '立即同步', syncing: '同步中…',
    pack_missing: '本机还没有设备资料，请在有网络时同步一次。',
    scan_title: '扫描标签', scan_ready: '对准设备标签上的二维码', scan_starting: '正在打开相机…',
    camera_denied: '无法使用相机，请手动输入标签号。', torch_on: '打开闪光灯', torch_off: '关闭闪光灯',
    no_camera: '此浏览器不能直接打开相机：请拍一张标签的照片，或手动输入标签号。', photo_scan: '拍照识别标签', photo_reading: '正在识别照片…',
    photo_no_code: '照片里没有读到二维码：请靠近些、对准标签、光线充足时再拍一张。',
    no_offline_title: '此浏览器不能离线使用', no_offline: '本应用离线巡检需要手机自带的浏览器（或 Chrome、Edge 等）。在这里只能联网使用，没有网络时记录无法保存。',
    no_offline_wechat: '请点右上角「···」，选择「在浏览器打开」。', no_offline_qq: '请点右上角「···」，选择「用浏览器打开」。',
    no_offline_dingtalk: '请点右上角「···」，选择「在浏览器打开」。', no_offline_alipay: '请点右上角「···」，选择「在浏览器中打开」。',
    no_offline_other: '请复制本页地址（{url}），粘贴到手机自带的浏览器中打开。',
    manual_entry: '手动输入标签号', tag_placeholder: '例如 GZ3K7M2Q', open: '打开',
    not_ours: '这不是本系统的标签：{text}', bad_check: '标签号校验失败，请检查是否输错：{text}',
    device_title: '设备', unknown_device: '本机资料中没有这台设备（{tag}）。仍可用通用检查单记录检查，服务器会在设备登记后关联。',
    type: '类型', model: '型号', site: '点位', room: '房间', status: '状态',
    recent_inspections: '最近检查', no_inspections: '暂无检查记录', open_faults: '未关闭故障',
    start_check: '开始检查', elsewhere: '此设备登记在其他点位：{site}',
    rma_title: '返修回来', rma_return: '登记返修回来', rma_in_repair: '送修中：RMA #{id}，{vendor}，{sent} 送出',
    rma_sent: 'RMA #{id}，厂家 {vendor}，{sent} 送出', rma_outcome: '厂家处理结果', rma_repaired: '已修好（原机）',
    rma_replaced: '换了新机（填新序列号）', rma_scrapped: '报废', rma_new_serial: '新机序列号', rma_serial_required: '换新机时请填写新序列号',
    rma_disposition: '这台设备接下来', rma_swap_back: '装回原位，顶替的备件回库', rma_keep: '留作备件，放入备件库',
    rma_scrapped_note: '报废的设备将注销，不再回到原位或备件库。', rma_saved: '返修登记已保存，将在有网络时发送',
    rma_none: '{tag} 没有未结束的返修记录（或返修登记已在待发送记录中）。', rma_save: '保存返修登记',
    edit_title: '修改后重发', edit_resend: '修改后重发', edit_refused_record: '服务器拒收了这条记录（{why}）：改正标出的项目后重发，仍是同一条记录。', edit_field_refused: '服务器拒收了这一项', edit_too_long: '最多 {n} 个字', edit_resent: '已改正，待发送', edit_nothing: '这条记录没有可以在手机上改正的内容：服务器的规则不允许它，请写明原因后搁置。', editing_refused: '服务器拒收了这条检查记录：改正后保存，会以同一编号重新发送。',
    check_title: '检查单', correct_title: '更正检查', correct: '更正', corrected: '已更正',
    correcting: '正在更正 {time} 的检查记录：保存后以新记录为准，原记录作为历史保留。', correct_missing: '原检查记录已不在本机上，无法在此更正。',
        note: '备注', add_photo: '拍照', photo_required: '需要照片', range: '范围 {min}–{max} {unit}',
    out_of_range: '超出范围', fail_needs_note: '异常项需要备注或照片', required: '必填',
    number_invalid: '请输入数字', notes: '总体备注', save_check: '保存检查', saved_to_outbox: '已保存，待发送',
    no_template: '没有适用于此设备的检查单，可记录备注和照片。', draft_restored: '已恢复未完成的检查单',
    fix_errors: '请先处理标红的项目', save_failed: '保存失败（草稿仍在本机）：{msg}', photo_failed: '照片处理失败：{msg}',
    visit_title: '现场巡检', expected: '应检设备', scanned: '已检', unscanned: '未检',
    unexpected: '意外设备', finish_visit: '结束巡检', visit_summary: '巡检小结', summary_placeholder: '小结（可选）',
    confirm_finish: '确认结束并保存', missing_devices: '未检设备 {n} 台', visit_saved: '巡检已保存，待发送',
    outbox_title: '待发送记录', outbox_empty: '没有记录', sent_kept: '已发送的记录在本机保留 {days} 天，未发送的一直保留。', retry: '重新发送', photos_missing: '照片未上传 {n} 张',
    set_aside: '搁置', set_aside_reason: '搁置原因（主管会在审核队列看到，记录内容一并保存在服务器）', set_aside_confirm: '确认搁置',
    set_aside_cancel: '取消', set_aside_need_reason: '请写明搁置原因', set_aside_done: '已搁置：服务器已记下原因和记录内容',
    set_aside_failed: '未能搁置：{msg}', set_aside_why: '搁置原因：{reason}',
    reason: '原因', conflict_why: '服务器上已有同一条记录的不同内容；新内容已留给主管审核，未生效。',
    settings_title: '设置',     logout_refused: '还有 {n} 条记录或照片未发送，不能退出登录。请先同步。', user: '用户', version: '版本',
    clock_skew: '手机时间与服务器相差 {n} 分钟，请校准手机时间。',
    others_unsent: '{name} 的 {n} 条记录等待发送。请把手机交还给 {name}，由其登录后发送；记录不会被删除。',
    sign_in_as: '由 {name} 登录', receive_records: '由我代为接收并发送（仍记在 {name} 名下）', made_by: '{name} 的记录',
    back: '返回', cancel: '取消',
    visit_kind: '巡检类型', room_checks: '场所检查（按会议室，不逐台扫码）',
    room_checks_hint: '每日检查可按会议室整体检查一次：显示、摄像、音频、网络、会议。需要逐台检查的设备仍可扫码。',
    room_checked: '已检查', room_check_start: '检查此会议室', room_check_again: '再检查一次', room_check_title: '场所检查',
    room_check_missing: '本机没有这个会议室或场所检查单，请在有网络时同步一次。', room_check_other: '其他',
    room_check_save: '保存场所检查',   },
  en: {
    online: 'Online', offline: 'Offline',
    update_available: 'New version available — tap to update',
    tab_today: 'Today', tab_scan: 'Scan', tab_outbox: 'Outbox', tab_settings: 'Settings',
    login_title: 'Sign in', remember: 'Stay signed in',     login_failed: 'Sign-in failed: {msg}', login_locked: 'Too many failed sign-ins: wait, or ask an administrator. ({msg})', login_offline: 'No network: cannot sign in. Your records are still on this phone.',
    session_expired: 'Your session expired. Sign in again; unsent records stay on this phone.',
    today_title: 'Today', planned_visits: 'Planned visits', no_plans: 'No visits planned today.',
    start_visit: 'Start visit', continue_visit: 'Continue visit', active_visit: 'Visit in progress',
    start_visit_here: 'Start visit at this site', plan_due: 'due {date}', plan_visited: 'Visited', label_replaced: "This label was replaced; the device's tag is now {tag}.",
    outbox_state: 'Records',     storage: 'Storage', storage_usage: '{used} used of {quota}', storage_persisted: 'Persistent storage on',
    storage_not_persisted: 'Storage not persistent: the browser may clear it', request_persist: 'Make storage persistent',
    install_hint: 'Add this app to your home screen to keep offline data safe.',
    last_sync: 'Last sync: {time}', never: 'never', sync_now: 'Sync now', syncing: 'Syncing…',
    pack_missing: 'No device data on this phone yet. Sync once while online.',
    scan_title: 'Scan a tag', scan_ready: 'Point at the QR code on the device label', scan_starting: 'Opening camera…',
    camera_denied: 'Camera unavailable. Type the tag instead.', torch_on: 'Torch on', torch_off: 'Torch off',
    no_camera: 'This browser cannot open the camera here: take a photo of the label, or type the tag.', photo_scan: 'Photo of the label', photo_reading: 'Reading the photo…',
    photo_no_code: 'No QR code found in the photo: take it again closer, straight on and in good light.',
    no_offline_title: 'This browser cannot work offline', no_offline: 'Offline inspection needs the phone\'s own browser (or Chrome, Edge…). Here the app works only online: without a network, records cannot be kept.',
    no_offline_wechat: 'Tap ··· at the top right, then 在浏览器打开 (Open in browser).', no_offline_qq: 'Tap ··· at the top right, then 用浏览器打开 (Open in browser).',
    no_offline_dingtalk: 'Tap ··· at the top right, then 在浏览器打开 (Open in browser).', no_offline_alipay: 'Tap ··· at the top right, then 在浏览器中打开 (Open in browser).',
    no_offline_other: 'Copy this page\'s address ({url}) and open it in the phone\'s own browser.',
    manual_entry: 'Type a tag', tag_placeholder: 'e.g. GZ3K7M2Q', open: 'Open',
    not_ours: 'Not one of our tags: {text}', bad_check: 'Tag check failed, please check for typos: {text}',
    device_title: 'Device', unknown_device: 'This device ({tag}) is not in the data on this phone. You can still inspect it with the generic checklist; the server links it once registered.',
    type: 'Type', model: 'Model', site: 'Site', room: 'Room', status: 'Status',
    recent_inspections: 'Recent inspections', no_inspections: 'No inspections yet', open_faults: 'Open faults',
    start_check: 'Start checklist', elsewhere: 'This device is registered at another site: {site}',
    rma_title: 'Back from repair', rma_return: 'Record return from repair', rma_in_repair: 'In repair: RMA #{id}, {vendor}, sent {sent}',
    rma_sent: 'RMA #{id}, vendor {vendor}, sent {sent}', rma_outcome: 'What the vendor did', rma_repaired: 'Repaired (same unit)',
    rma_replaced: 'Replaced (give the new serial)', rma_scrapped: 'Scrapped', rma_new_serial: 'New serial number', rma_serial_required: 'Give the new unit\'s serial number',
    rma_disposition: 'What happens to the unit now', rma_swap_back: 'Back into its room; the stand-in spare returns to the pool', rma_keep: 'Kept as a spare in the pool',
    rma_scrapped_note: 'A scrapped unit is retired: it goes neither back to its room nor to the pool.', rma_saved: 'Return recorded; it will be sent when online',
    rma_none: '{tag} has no open repair (or its return is already in the outbox).', rma_save: 'Save the return',
    edit_title: 'Edit and resend', edit_resend: 'Edit and resend', edit_refused_record: 'The server refused this record ({why}): fix the marked fields and send it again; it stays the same record.', edit_field_refused: 'The server refused this field', edit_too_long: 'At most {n} characters', edit_resent: 'Fixed, waiting to send', edit_nothing: 'Nothing in this record can be fixed on the phone: a server rule refuses it. Set it aside with a reason.', editing_refused: 'The server refused this checklist: fix it and save; it is sent again under the same id.',
    check_title: 'Checklist', correct_title: 'Correct a checklist', correct: 'Correct', corrected: 'Corrected',
    correcting: 'Correcting the checklist of {time}: once saved the new record counts, the original stays as history.', correct_missing: 'The original record is no longer on this phone; it cannot be corrected here.',
        note: 'Note', add_photo: 'Photo', photo_required: 'Photo required', range: 'Range {min}–{max} {unit}',
    out_of_range: 'Out of range', fail_needs_note: 'A failed item needs a note or a photo', required: 'Required',
    number_invalid: 'Enter a number', notes: 'General notes', save_check: 'Save checklist', saved_to_outbox: 'Saved, waiting to send',
    no_template: 'No checklist applies to this device; record notes and photos.', draft_restored: 'Unfinished checklist restored',
    fix_errors: 'Fix the items marked in red first', save_failed: 'Not saved (the draft is still on this phone): {msg}', photo_failed: 'Photo failed: {msg}',
    visit_title: 'Site visit', expected: 'Expected devices', scanned: 'Done', unscanned: 'Not yet',
    unexpected: 'Unexpected devices', finish_visit: 'Finish visit', visit_summary: 'Visit summary', summary_placeholder: 'Summary (optional)',
    confirm_finish: 'Finish and save', missing_devices: '{n} devices not inspected', visit_saved: 'Visit saved, waiting to send',
    outbox_title: 'Outbox', outbox_empty: 'No records', sent_kept: 'Sent records stay on this phone for {days} days; unsent ones stay until sent.', retry: 'Send again', photos_missing: '{n} photos not uploaded',
    set_aside: 'Set aside', set_aside_reason: 'Why set it aside (supervisors see it in the review queue; the record is kept on the server)', set_aside_confirm: 'Set aside',
    set_aside_cancel: 'Cancel', set_aside_need_reason: 'Say why it is set aside', set_aside_done: 'Set aside: the server holds the reason and the record',
    set_aside_failed: 'Could not set it aside: {msg}', set_aside_why: 'Set aside: {reason}',
    reason: 'Reason', conflict_why: 'The server already holds this record with other content; the new version waits for a supervisor and was not applied.',
    settings_title: 'Settings',     logout_refused: '{n} records or photos are not sent yet; sign-out refused. Sync first.', user: 'User', version: 'Version',
    clock_skew: 'Phone clock differs from the server by {n} minutes. Please fix the phone time.',
    others_unsent: '{n} records of {name} wait to be sent; hand the phone back to them to sign in and send them. Nothing is deleted.',
    sign_in_as: 'Sign in as {name}', receive_records: 'Receive and send them (they stay {name}\'s)', made_by: 'Made by {name}',
    back: 'Back', cancel: 'Cancel',
    visit_kind: 'Visit kind', room_checks: 'Site check (per room, no unit scanned)',
    room_checks_hint: 'A daily check can check each room once as a whole: display, camera, audio, network, conference. Units that need their own check can still be scanned.',
    room_checked: 'Checked', room_check_start: 'Check this room', room_check_again: 'Check again', room_check_title: 'Site check',
    room_check_missing: 'This phone has no such room or no site checklist; sync once while online.', room_check_other: 'Other',
    room_check_save: 'Save site check',   },
};

register(COMMON, ENUMS);
register(ERRORS);
register(REASONS);
register(PASSWORD);
register(MEETINGS, MEETING_ENUMS);
register(MEETING_ERRORS);
register(SYNC);
register(FIELD);
register(FAULT_DICTS);
register(QUICK_DICTS);

export {t, label, reasonText, getLang, setLang, pickName, LANGS, DICTIONARIES} from '../core/i18n.js';
